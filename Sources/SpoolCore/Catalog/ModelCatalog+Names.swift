/// The names a client may give a model: its catalog id, or the fal endpoint id it runs (what fal's own clients and
/// fal's documentation call it), and the "did you mean …?" for a name that is neither.
extension ModelCatalog {
    /// The model whose catalog id is `name`, or else the first (by id) whose fal endpoint id is `name`.
    package func model(named name: String) -> CatalogModel? {
        model(id: name) ?? models.first { $0.falEndpoint == name }
    }

    /// The catalog id or fal endpoint id nearest to `name` when `name` looks like a slip of the keyboard
    /// (`NearestName`), so that a refusal can say what was probably meant.
    func suggestion(for name: String) -> String? {
        NearestName.suggestion(for: name, among: models.map(\.id) + models.map(\.falEndpoint))
    }

    /// What to add after `name` in a refusal: " (did you mean <nearest>?)" when one is near, else nothing.
    func didYouMean(_ name: String) -> String {
        suggestion(for: name).map { " (did you mean \($0)?)" } ?? ""
    }
}
