//! The layering check: each top-level module of the `app` crate may import only from the
//! layers below it (ARCHITECTURE.md draws the same table). It reads the sources as text, so a
//! new module must be given its place here before it can be used.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each layer and what it may import from the rest of the crate.
const LAYERS: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("i18n", &[]),
    ("types", &["domain"]),
    ("request", &["types"]),
    ("auth", &["domain", "types"]),
    ("content", &["domain", "i18n"]),
    ("store", &["domain"]),
    (
        "services",
        &[
            "domain", "types", "i18n", "request", "auth", "content", "store",
        ],
    ),
    ("api", &["domain", "types", "i18n", "request", "services"]),
    ("components", &["domain", "types", "i18n", "request"]),
    (
        "pages",
        &["domain", "types", "i18n", "request", "components", "api"],
    ),
    (
        "shell",
        &["domain", "types", "i18n", "request", "components", "pages"],
    ),
    (
        "web",
        &[
            "domain", "types", "i18n", "request", "auth", "content", "store", "services", "shell",
        ],
    ),
];

/// Crate-root items that belong to a layer: the i18n macros are exported at the root.
const ROOT_ITEMS: &[(&str, &str)] = &[("tr", "i18n"), ("tr_in", "i18n")];

/// One import that breaks the table: (file, line, importing layer, imported layer).
type Breach = (String, usize, String, String);

/// The layer a source file belongs to (`src/<layer>.rs` or `src/<layer>/…`), with how deep
/// below `src/` the file's module sits (for `super::`).
fn layer_of(relative: &Path) -> Option<(String, usize)> {
    let parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?;
    let layer = first.strip_suffix(".rs").unwrap_or(first).to_owned();
    if layer == "lib" || layer == "main" {
        return None;
    }
    // src/x.rs and src/x/mod.rs are the module x (depth 1); src/x/y.rs is x::y (depth 2).
    let last = parts.last()?;
    let depth = if last == "mod.rs" {
        parts.len() - 1
    } else {
        parts.len()
    };
    Some((layer, depth))
}

/// The top-level modules a file names: `crate::x…`, `crate::{x, …}`, and `super::` chains
/// that climb to the crate root. Comments are left out.
fn imports(source: &str, depth: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "crate::".len()..];
            if before == Some('$') || before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            out.extend(names(rest).into_iter().map(|n| (number + 1, n)));
        }
        let mut rest = code;
        while let Some(at) = rest.find("super::") {
            let mut tail = &rest[at..];
            let mut climbs = 0;
            while let Some(t) = tail.strip_prefix("super::") {
                climbs += 1;
                tail = t;
            }
            if climbs >= depth {
                out.extend(names(tail).into_iter().map(|n| (number + 1, n)));
            }
            rest = &rest[at + "super::".len() * climbs..];
        }
    }
    out
}

/// The first path segment(s) after `crate::`: one name, or each name of a `{…}` group.
fn names(after: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    match after.strip_prefix('{') {
        Some(group) => group
            .split('}')
            .next()
            .unwrap_or_default()
            .split(',')
            .map(ident)
            .filter(|n| !n.is_empty())
            .collect(),
        None => vec![ident(after)]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect(),
    }
}

/// Every import in `files` (path relative to `src/`, source) that the table refuses.
fn breaches(files: &[(PathBuf, String)]) -> Vec<Breach> {
    let table: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut found = Vec::new();
    for (path, source) in files {
        let Some((layer, depth)) = layer_of(path) else {
            continue;
        };
        let Some(allowed) = table.get(layer.as_str()) else {
            found.push((path.display().to_string(), 0, layer.clone(), "?".into()));
            continue;
        };
        for (line, name) in imports(source, depth) {
            let target = ROOT_ITEMS
                .iter()
                .find(|(item, _)| *item == name)
                .map_or(name.as_str(), |(_, l)| l);
            if target != layer && !allowed.contains(&target) {
                found.push((
                    path.display().to_string(),
                    line,
                    layer.clone(),
                    target.to_owned(),
                ));
            }
        }
    }
    found
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("read a source file");
            let relative = path.strip_prefix(root).expect("under src").to_path_buf();
            out.push((relative, text));
        }
    }
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    assert!(
        files.len() > 50,
        "the sources were not found under {root:?}"
    );
    let found = breaches(&files);
    let report: Vec<String> = found
        .iter()
        .map(|(file, line, from, to)| {
            format!("src/{file}:{line}: `{from}` may not import from `{to}`")
        })
        .collect();
    assert!(
        report.is_empty(),
        "imports that break the layers (see ARCHITECTURE.md):\n{}",
        report.join("\n")
    );
}

#[test]
fn the_check_catches_each_way_of_naming_a_higher_layer() {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_owned());
    let files = [
        file("services/x.rs", "use crate::api::learning::get_catalog;"),
        file("domain/y.rs", "fn f() { crate::types::AppError::Internal; }"),
        file("types/mod.rs", "use super::components::form;"),
        file("store/deep.rs", "use super::super::services::AppState;"),
        file("components/z.rs", "use crate::{domain::Role, store::Db};"),
        // Allowed: its own layer, lower layers, the i18n macros, comments and doc links.
        file(
            "services/ok.rs",
            "use super::internal;\nuse crate::store::Db;\n// crate::web is only named here\nfn f() { crate::tr!(\"k\"); }",
        ),
        file("pages/p.rs", "/// See [`crate::web::routes`].\nuse crate::api::learning::get_catalog;"),
    ];
    let found: Vec<(String, String)> = breaches(&files)
        .into_iter()
        .map(|(f, _, _, to)| (f, to))
        .collect();
    assert_eq!(
        found,
        vec![
            ("services/x.rs".to_owned(), "api".to_owned()),
            ("domain/y.rs".to_owned(), "types".to_owned()),
            ("types/mod.rs".to_owned(), "components".to_owned()),
            ("store/deep.rs".to_owned(), "services".to_owned()),
            ("components/z.rs".to_owned(), "store".to_owned()),
        ]
    );
}
