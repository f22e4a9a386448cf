//! The command-line tool: analyze a design file, list and print built-in scenarios,
//! diff two designs. See docs/cli.md.

fn main() {
    std::process::exit(0);
}
