import Foundation
import InfobipSimulator

exit(await SimulatorProcess.run(arguments: Array(CommandLine.arguments.dropFirst())))
