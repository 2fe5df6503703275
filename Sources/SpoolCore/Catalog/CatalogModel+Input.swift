import SpoolJSON

extension CatalogModel {
    /// Checks a job's `input`: maps fal's alias names to Spool's and numeric strings to integers where the schema
    /// allows it, validates against the schema, then applies the model's cross-field rules.
    ///
    /// Accepted: the normalised input, without defaults filled in. Rejected: every problem found (alias clashes,
    /// schema, cross-field, in that order), with fields named from `input` (`input.elements[0].video_url`).
    package func validate(_ input: JSONValue) -> ValidationResult {
        // Most inputs are valid: check them without writing out a path for every member, and only check an input
        // with problems again to say where they are.
        let quick = validate(input, at: .unwritten("input"))
        if case .accepted = quick { return quick }
        return validate(input, at: FieldPath("input"))
    }

    private func validate(_ input: JSONValue, at root: FieldPath) -> ValidationResult {
        let (normalized, aliasProblems) = validator.normalize(input, at: root)
        var problems = aliasProblems + validator.validate(normalized, at: root)
        if let object = normalized.objectValue {
            for rule in rules {
                problems += rule.check(object, at: root)
            }
        }
        return problems.isEmpty ? .accepted(normalized) : .rejected(problems)
    }

    /// The body to submit to fal for an accepted input: fal's names (`image_urls`, `end_image_url`) and the
    /// durations as strings (`"5"`), as the model's `fal_input_mapping` says. Absent fields stay absent, so fal
    /// applies its own defaults.
    package func falInput(from accepted: JSONValue) -> JSONValue {
        falMapping.apply(to: accepted)
    }

    /// The seconds of video an accepted input asks for: the sum of the shots' durations with `multi_prompt`,
    /// otherwise `duration`, or the schema's default when it is absent.
    package func estimatedDurationSeconds(for accepted: JSONValue) -> Int {
        if let shots = accepted["multi_prompt"]?.arrayValue {
            return shots.reduce(0) { total, shot in total + Int(shot["duration"]?.integerValue ?? 0) }
        }
        return Int(accepted["duration"]?.integerValue ?? defaultDurationSeconds)
    }

    /// The estimated price of an accepted input in US dollars, rounded to the cent: price per second × seconds.
    package func estimatedCostUSD(for accepted: JSONValue) -> Double {
        (usdPerSecond * Double(estimatedDurationSeconds(for: accepted)) * 100).rounded() / 100
    }
}
