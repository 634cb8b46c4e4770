/// An ITU-T E.164 country calling code, with the lengths of the national significant numbers
/// (the digits after the code) that its numbering plan assigns.
///
/// The codes are those of the ITU-T list of E.164 assigned country codes, which ITU publishes as
/// an annex to its Operational Bulletin. The table was generated from the metadata of Google's
/// libphonenumber as shipped in the Python package `phonenumbers` 9.0.43 (released in November
/// 2026, according to the package index). For each code it keeps the shortest and the longest
/// national number of the fixed-line, mobile, personal, VoIP and pager ranges of every region
/// that shares the code. The longest is capped so that code and number have at most 15 digits,
/// E.164's maximum. Toll-free, premium-rate, shared-cost and other service ranges are left out,
/// because they are not a subscriber's own line. Lengths that are dialled only locally, without
/// an area code, are left out too. One range differs from that metadata: `52` (Mexico) also
/// allows 11 digits, because until 2019 a Mexican mobile was dialled from abroad as +52 1 and
/// ten digits, and numbers stored in that form still exist.
///
/// NOTE: the ITU annex was not consulted directly, so the date of the ITU list behind
/// libphonenumber's metadata is not known here. A code that libphonenumber does not cover (such
/// as 388 or 991), or that was assigned after that release, is missing from the table, so
/// ``PhoneNumber`` rejects its numbers. So does a service number whose length lies outside its
/// code's range.
public struct CountryCallingCode: Sendable, Equatable {
    /// One to three digits, such as `44`.
    public let code: String
    /// Allowed numbers of digits after the code.
    public let nationalNumberLengths: ClosedRange<Int>

    /// Returns the assigned code that `digits` starts with, or `nil` when none does.
    ///
    /// E.164 country codes are prefix-free, because no assigned code is the start of another. So
    /// at most one of the first one, two or three digits is an assigned code.
    public static func matching(_ digits: String) -> CountryCallingCode? {
        for length in 1...3 where digits.count > length {
            let prefix = String(digits.prefix(length))
            if let lengths = assigned[prefix] {
                return CountryCallingCode(code: prefix, nationalNumberLengths: lengths)
            }
        }
        return nil
    }

    /// National number lengths by country code. The comment lists the ISO 3166-1 regions that
    /// share the code, and `non-geographic` marks a code for a global service or network.
    static let assigned: [String: ClosedRange<Int>] = [
        "1": 10...10,  // US AG AI AS BB BM BS CA DM DO GD GU JM KN KY LC MP MS PR SX TC TT VC VG VI
        "7": 10...10,  // RU KZ
        "20": 8...10,  // EG
        "27": 5...9,  // ZA
        "30": 10...10,  // GR
        "31": 9...11,  // NL
        "32": 8...9,  // BE
        "33": 9...9,  // FR
        "34": 9...9,  // ES
        "36": 8...9,  // HU
        "39": 6...12,  // IT VA
        "40": 6...9,  // RO
        "41": 9...9,  // CH
        "43": 4...13,  // AT
        "44": 9...10,  // GB GG IM JE
        "45": 8...8,  // DK
        "46": 7...9,  // SE
        "47": 8...8,  // NO SJ
        "48": 6...9,  // PL
        "49": 4...13,  // DE
        "51": 8...9,  // PE
        "52": 10...11,  // MX
        "53": 6...10,  // CU
        "54": 10...11,  // AR
        "55": 10...11,  // BR
        "56": 9...9,  // CL
        "57": 8...10,  // CO
        "58": 10...10,  // VE
        "60": 8...10,  // MY
        "61": 5...9,  // AU CC CX
        "62": 7...12,  // ID
        "63": 6...10,  // PH
        "64": 8...10,  // NZ
        "65": 8...8,  // SG
        "66": 8...9,  // TH
        "81": 9...10,  // JP
        "82": 5...11,  // KR
        "84": 9...10,  // VN
        "86": 7...11,  // CN
        "90": 10...10,  // TR
        "91": 10...10,  // IN
        "92": 9...10,  // PK
        "93": 9...9,  // AF
        "94": 9...9,  // LK
        "95": 6...10,  // MM
        "98": 6...10,  // IR
        "211": 9...9,  // SS
        "212": 9...9,  // MA EH
        "213": 8...9,  // DZ
        "216": 8...8,  // TN
        "218": 9...9,  // LY
        "220": 7...9,  // GM
        "221": 9...9,  // SN
        "222": 8...8,  // MR
        "223": 8...8,  // ML
        "224": 8...9,  // GN
        "225": 10...10,  // CI
        "226": 8...8,  // BF
        "227": 8...8,  // NE
        "228": 8...8,  // TG
        "229": 10...10,  // BJ
        "230": 7...8,  // MU
        "231": 7...9,  // LR
        "232": 8...8,  // SL
        "233": 9...9,  // GH
        "234": 10...10,  // NG
        "235": 8...8,  // TD
        "236": 8...8,  // CF
        "237": 9...9,  // CM
        "238": 7...7,  // CV
        "239": 7...7,  // ST
        "240": 9...9,  // GQ
        "241": 7...8,  // GA
        "242": 9...9,  // CG
        "243": 7...10,  // CD
        "244": 9...9,  // AO
        "245": 7...9,  // GW
        "246": 7...7,  // IO
        "247": 5...5,  // AC
        "248": 7...7,  // SC
        "249": 9...9,  // SD
        "250": 8...9,  // RW
        "251": 9...9,  // ET
        "252": 6...9,  // SO
        "253": 8...8,  // DJ
        "254": 7...9,  // KE
        "255": 9...9,  // TZ
        "256": 9...9,  // UG
        "257": 8...8,  // BI
        "258": 8...9,  // MZ
        "260": 9...9,  // ZM
        "261": 9...9,  // MG
        "262": 9...9,  // RE YT
        "263": 9...10,  // ZW
        "264": 8...9,  // NA
        "265": 7...9,  // MW
        "266": 8...8,  // LS
        "267": 7...8,  // BW
        "268": 8...8,  // SZ
        "269": 7...7,  // KM
        "290": 4...5,  // SH TA
        "291": 7...7,  // ER
        "297": 7...7,  // AW
        "298": 6...6,  // FO
        "299": 6...6,  // GL
        "350": 8...8,  // GI
        "351": 9...9,  // PT
        "352": 4...11,  // LU
        "353": 7...10,  // IE
        "354": 7...9,  // IS
        "355": 8...9,  // AL
        "356": 8...8,  // MT
        "357": 8...8,  // CY
        "358": 5...10,  // FI AX
        "359": 6...9,  // BG
        "370": 8...8,  // LT
        "371": 8...8,  // LV
        "372": 7...8,  // EE
        "373": 8...8,  // MD
        "374": 8...8,  // AM
        "375": 9...9,  // BY
        "376": 6...9,  // AD
        "377": 8...9,  // MC
        "378": 8...10,  // SM
        "380": 9...9,  // UA
        "381": 7...12,  // RS
        "382": 8...8,  // ME
        "383": 8...12,  // XK
        "385": 8...9,  // HR
        "386": 8...8,  // SI
        "387": 8...9,  // BA
        "389": 8...8,  // MK
        "420": 9...9,  // CZ
        "421": 6...9,  // SK
        "423": 7...9,  // LI
        "500": 5...5,  // FK
        "501": 7...7,  // BZ
        "502": 8...8,  // GT
        "503": 8...8,  // SV
        "504": 8...8,  // HN
        "505": 8...8,  // NI
        "506": 8...8,  // CR
        "507": 7...8,  // PA
        "508": 6...9,  // PM
        "509": 8...8,  // HT
        "590": 9...9,  // GP BL MF
        "591": 8...8,  // BO
        "592": 7...7,  // GY
        "593": 8...9,  // EC
        "594": 9...9,  // GF
        "595": 7...9,  // PY
        "596": 9...9,  // MQ
        "597": 6...7,  // SR
        "598": 8...8,  // UY
        "599": 7...8,  // CW BQ
        "670": 7...8,  // TL
        "672": 6...6,  // NF
        "673": 7...7,  // BN
        "674": 7...7,  // NR
        "675": 7...8,  // PG
        "676": 5...7,  // TO
        "677": 5...7,  // SB
        "678": 5...7,  // VU
        "679": 7...7,  // FJ
        "680": 7...7,  // PW
        "681": 6...6,  // WF
        "682": 5...5,  // CK
        "683": 4...7,  // NU
        "685": 5...10,  // WS
        "686": 5...8,  // KI
        "687": 6...6,  // NC
        "688": 5...7,  // TV
        "689": 8...8,  // PF
        "690": 4...7,  // TK
        "691": 7...7,  // FM
        "692": 7...7,  // MH
        "800": 8...8,  // non-geographic
        "808": 8...8,  // non-geographic
        "850": 8...10,  // KP
        "852": 8...8,  // HK
        "853": 8...8,  // MO
        "855": 8...9,  // KH
        "856": 8...10,  // LA
        "870": 9...12,  // non-geographic
        "878": 12...12,  // non-geographic
        "880": 6...10,  // BD
        "881": 9...10,  // non-geographic
        "882": 7...12,  // non-geographic
        "883": 8...12,  // non-geographic
        "886": 8...11,  // TW
        "888": 11...11,  // non-geographic
        "960": 7...7,  // MV
        "961": 7...8,  // LB
        "962": 8...9,  // JO
        "963": 8...9,  // SY
        "964": 8...10,  // IQ
        "965": 8...8,  // KW
        "966": 9...9,  // SA
        "967": 7...9,  // YE
        "968": 8...8,  // OM
        "970": 8...9,  // PS
        "971": 8...9,  // AE
        "972": 8...12,  // IL
        "973": 8...8,  // BH
        "974": 7...8,  // QA
        "975": 7...8,  // BT
        "976": 8...10,  // MN
        "977": 8...10,  // NP
        "979": 9...9,  // non-geographic
        "992": 9...9,  // TJ
        "993": 8...8,  // TM
        "994": 9...9,  // AZ
        "995": 9...9,  // GE
        "996": 9...9,  // KG
        "998": 9...9,  // UZ
    ]
}
