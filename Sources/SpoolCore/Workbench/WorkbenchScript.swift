/// The workbench's JavaScript, served as `/workbench.js`: plain browser JavaScript, no framework, no build step.
///
/// The parts live in `WorkbenchScript+*.swift`, one concern each, and share one function scope here, in the order
/// they depend on each other.
enum WorkbenchScript {
    static let source = "(() => {\n'use strict';\n\n" + [core, fields, structures, form, run, compare, app].joined(separator: "\n") + "})();\n"
}
