//! `tracekit completions`.

use clap::Args;

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tracekit completions bash > ~/.local/share/bash-completion/completions/tracekit
  tracekit completions zsh > ~/.zfunc/_tracekit")]
pub struct CompletionsArgs {
    /// The shell to write a completion script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
