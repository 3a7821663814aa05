//! The layer rule of docs/ARCHITECTURE.md, checked on the source: the bottom layers import
//! nothing above them, and renderers import neither the loader nor the command line.

use std::path::Path;

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    out
}

/// Lines of code (comments left out) that mention one of `forbidden`.
fn offenders(files: &[(String, String)], forbidden: &[&str]) -> Vec<String> {
    files
        .iter()
        .flat_map(|(path, text)| {
            text.lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .filter(|l| forbidden.iter().any(|f| l.contains(f)))
                .map(move |l| format!("{path}: {}", l.trim()))
        })
        .collect()
}

#[test]
fn layers_import_only_what_is_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut bottom = sources(&src.join("sample"));
    bottom.extend(sources(&src.join("dsp")));
    bottom.push((
        "src/units.rs".into(),
        std::fs::read_to_string(src.join("units.rs")).unwrap(),
    ));
    let bad = offenders(
        &bottom,
        &[
            "crate::loader",
            "crate::cli",
            "crate::cmd",
            "crate::output",
            "crate::report",
            "clap::",
            "anyhow",
            "std::fs",
        ],
    );
    assert!(
        bad.is_empty(),
        "sample/dsp/units import above them:\n{}",
        bad.join("\n")
    );
    let sample = sources(&src.join("sample"));
    let bad = offenders(&sample, &["crate::dsp", "crate::csvconv", "crate::units"]);
    assert!(
        bad.is_empty(),
        "sample imports tracekit modules:\n{}",
        bad.join("\n")
    );
    let output = sources(&src.join("output"));
    let bad = offenders(
        &output,
        &["crate::loader", "crate::cli", "crate::cmd", "clap::"],
    );
    assert!(
        bad.is_empty(),
        "output imports the loader or the CLI:\n{}",
        bad.join("\n")
    );
}
