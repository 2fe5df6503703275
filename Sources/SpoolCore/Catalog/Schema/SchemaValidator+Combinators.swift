import SpoolJSON

extension SchemaValidator {
    func checkCombinators(_ value: JSONValue, _ node: SchemaNode, at path: FieldPath, depth: Int,
                          into problems: inout [ValidationProblem]) {
        for branch in node.allOf {
            check(value, against: branch, at: path, depth: depth + 1, into: &problems)
        }
        // Branches are tried without name suggestions; only when none matches are their problems worth the words.
        var trying = self
        trying.suggestsNames = false
        if !node.anyOf.isEmpty {
            let tried = node.anyOf.map { trying.problemsOf(value, against: $0, at: path, depth: depth) }
            if !tried.contains(where: \.isEmpty) {
                let outcomes = node.anyOf.map { problemsOf(value, against: $0, at: path, depth: depth) }
                problems += closestBranchProblems(value, node.anyOf, outcomes)
                    ?? [ValidationProblem(path, "must match at least one of: " + alternatives(node.anyOf))]
            }
        }
        if !node.oneOf.isEmpty {
            let tried = node.oneOf.map { trying.problemsOf(value, against: $0, at: path, depth: depth) }
            let matches = tried.filter(\.isEmpty).count
            if matches == 0 {
                let outcomes = node.oneOf.map { problemsOf(value, against: $0, at: path, depth: depth) }
                problems += closestBranchProblems(value, node.oneOf, outcomes)
                    ?? [ValidationProblem(path, "must match exactly one of: " + alternatives(node.oneOf))]
            } else if matches > 1 {
                problems.append(ValidationProblem(
                    path, "must match exactly one of: \(alternatives(node.oneOf)), but it matches \(matches) of them"))
            }
        }
    }

    private func problemsOf(_ value: JSONValue, against branch: SchemaNodeID, at path: FieldPath,
                            depth: Int) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        check(value, against: branch, at: path, depth: depth + 1, into: &problems)
        return problems
    }

    /// The problems of the alternative the client most likely meant: for an object, the one branch that declares
    /// more of the object's keys than any other. Nil when no branch stands out, and a summary is more useful.
    private func closestBranchProblems(_ value: JSONValue, _ branches: [SchemaNodeID],
                                       _ outcomes: [[ValidationProblem]]) -> [ValidationProblem]? {
        guard case .object(let object) = value else { return nil }
        let scores = branches.map { branch in
            let names = Set(declaredProperties(of: branch))
            return object.keys.filter(names.contains).count
        }
        guard let best = scores.max(), best > 0, scores.filter({ $0 == best }).count == 1,
              let index = scores.firstIndex(of: best) else { return nil }
        return outcomes[index]
    }

    /// The property names a branch declares, looking through a bare `$ref`.
    private func declaredProperties(of branch: SchemaNodeID) -> [String] {
        let node = nodes[branch]
        if node.properties.isEmpty, let reference = node.reference { return nodes[reference].properties.map(\.name) }
        return node.properties.map(\.name)
    }

    /// "A or B", "A, B or C".
    private func alternatives(_ branches: [SchemaNodeID]) -> String {
        let names = branches.map { nodes[$0].alternativeName(in: nodes) }
        guard names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }
}
