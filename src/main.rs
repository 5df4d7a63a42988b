//! The `sfperms` binary: parse the command line, run the command, map the outcome to an exit code.
//! Everything else lives in the library and in `cli/`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
