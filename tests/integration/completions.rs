//! Completion scripts and man pages are generated from the CLI definition and committed;
//! this fails when they fall out of sync. Regenerate with
//! `TRACEKIT_BLESS=1 cargo test --test integration generated_files`.

use clap::CommandFactory;
use clap_complete::Shell;
use std::path::Path;
use tracekit::cli::Cli;

fn check_or_bless(path: &Path, fresh: &[u8], stale: &mut Vec<String>) {
    if std::env::var_os("TRACEKIT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, fresh).unwrap();
    } else if std::fs::read(path).ok().as_deref() != Some(fresh) {
        stale.push(path.display().to_string());
    }
}

#[test]
fn generated_files_are_in_sync() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "tracekit.bash"),
        (Shell::Zsh, "_tracekit"),
        (Shell::Fish, "tracekit.fish"),
        (Shell::Elvish, "tracekit.elv"),
        (Shell::PowerShell, "_tracekit.ps1"),
    ] {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "tracekit", &mut out);
        check_or_bless(&root.join("completions").join(name), &out, &mut stale);
    }
    let cmd = Cli::command();
    let mut pages = vec![("tracekit.1".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("tracekit-{}", sub.get_name());
        let file = format!("{name}.1");
        pages.push((file, sub.clone().name(&*Box::leak(name.into_boxed_str()))));
    }
    for (file, page) in pages {
        let mut out = Vec::new();
        clap_mangen::Man::new(page).render(&mut out).unwrap();
        check_or_bless(&root.join("docs/man").join(file), &out, &mut stale);
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run TRACEKIT_BLESS=1 cargo test --test integration generated_files"
    );
}

#[test]
fn completions_subcommand_prints_the_committed_script() {
    let w = crate::util::Workdir::new();
    let out = w.stdout(&["completions", "bash"]);
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/tracekit.bash"),
    )
    .unwrap();
    assert_eq!(out, committed);
}
