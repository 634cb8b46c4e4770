import App
import Foundation

exit(await CommandLineTool.run(arguments: Array(CommandLine.arguments.dropFirst())))
