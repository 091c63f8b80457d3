//! `cargo xtask`: the book's own tool. One module per command, plus the exercise
//! catalogue, the test runner and the checks they share.

mod bench;
mod book;
#[cfg(feature = "maintainer")]
mod browser;
mod busy;
mod catalog;
mod checksums;
mod contracts;
#[cfg(test)]
mod failure_modes;
mod feedback;
mod grade;
mod hint;
#[cfg(feature = "maintainer")]
mod i18n;
mod list;
mod new;
mod processes;
mod progress;
mod regions;
mod reset;
mod runner;
mod sandbox;
mod stuck;
#[cfg(feature = "maintainer")]
mod test;
mod verify;
mod watch;
mod wrong;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for bad usage or a broken set-up, distinct from "some exercises failed" (1).
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Read, run, grade and check the book",
    version
)]
struct Cli {
    /// None: a bare `cargo xtask` asks what there is, so it gets the help, and success.
    #[command(subcommand)]
    command: Option<Commands>,
}

#[derive(Debug, Subcommand)]
enum Commands {
    /// Build the book into target/book/ (installing mdbook once, into .tools/, if missing).
    Book {
        /// Serve it on http://127.0.0.1:PORT and rebuild on every change.
        #[arg(long)]
        serve: bool,
        /// Port for --serve.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// After building, open every page in headless Chromium and check diagrams, links,
        /// JavaScript errors and the search index.
        #[arg(long, conflicts_with = "serve")]
        check: bool,
        /// With --check: save a screenshot of each page into this folder.
        #[arg(long, value_name = "DIR", requires = "check")]
        screenshots: Option<std::path::PathBuf>,
        /// With --check: then break a copy of the built book in twelve ways and make sure the
        /// check reports each one.
        #[arg(long, requires = "check")]
        self_test: bool,
        /// The edition: `en` (English, the default) or `ko` (Korean, 한국어; built after the
        /// English one, into target/book/ko/). With --check, both editions are checked.
        #[arg(long, value_name = "LANG", value_parser = ["en", "ko"], default_value = "en")]
        lang: String,
    },
    /// Maintainer: extract the English book's messages into po/messages.pot and merge them
    /// into the Korean catalog po/ko.po, listing what is left to translate.
    Po {
        /// Change nothing; fail if the template is stale, a message is untranslated or
        /// fuzzy, or a translation leaves out a glossary term (CI runs this).
        #[arg(long)]
        check: bool,
    },
    /// Grade your exercises: a chapter number (`01`), an exercise id, or nothing for all.
    Grade(grade::GradeArgs),
    /// Grade the current exercise whenever you save it, and move on when it passes.
    Watch {
        /// Where to start: a chapter number (`09`, its first exercise not yet passed) or an
        /// exercise id; none starts at the first exercise not yet passed.
        start: Option<String>,
        /// Grade when you press Enter instead of on file events (for network file systems).
        #[arg(long)]
        manual: bool,
    },
    /// Show the next hint for one exercise: a nudge first, the full recipe last.
    Hint {
        /// The exercise id, as `cargo xtask grade` prints it.
        exercise: String,
        /// Show every hint at once.
        #[arg(long)]
        all: bool,
    },
    /// List every exercise with its state (not started / failing / passed) and a progress bar.
    List,
    /// Put an exercise's original stub back, after saving your version in .backups/.
    Reset {
        /// The exercise id, as `cargo xtask list` prints it.
        exercise: String,
    },
    /// Maintainer: scaffold a new exercise in a chapter (solution, stub, test, info.toml
    /// entry, wrong-attempt folder), each placeholder marked TODO(new).
    New {
        /// The chapter's number, as in `exercises/chNN` (`03`).
        chapter: String,
        /// The exercise's id: lower-case words joined by `_`; it names the file too.
        id: String,
        /// The one-line title `cargo xtask list` shows.
        #[arg(long)]
        title: Option<String>,
    },
    /// Maintainer check: solutions pass, stubs and wrong attempts fail, and every part of
    /// every chapter fits.
    Verify(verify::VerifyArgs),
    /// Measure save → verdict time for `grade` and `watch` (a benchmark; asserts nothing).
    Bench {
        /// Timed runs of each.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Instead: time `grade` and `watch` against rustlings' `run` and watch mode,
        /// alternately (installs rustlings into .tools/ on first use).
        #[arg(long)]
        vs_rustlings: bool,
    },
    /// Everything CI runs: fmt, clippy, tests, rustdoc, verify, and the book build.
    Test,
}

/// `cargo xtask book --check`: the built book as a reader's browser shows it.
#[cfg(feature = "maintainer")]
pub fn book_check(screenshots: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let problems = browser::check_rendered_book(&catalog::repo_root(), screenshots)?;
    for problem in &problems {
        println!("✗ {problem}");
    }
    if let Some(dir) = screenshots {
        println!("Screenshots are in {}", dir.display());
    }
    println!("book check in a browser: {} problem(s)", problems.len());
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `cargo xtask book --check --self-test`: the check must catch faults put in on purpose.
#[cfg(feature = "maintainer")]
pub fn book_self_test() -> anyhow::Result<ExitCode> {
    let report = browser::self_test(&catalog::repo_root())?;
    println!("{report}");
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The maintainers' commands that need crates a learner never uses (the browser check's
/// HTML parser): a learner's build has none of them, so it hands the whole command line
/// over to a build that has (compiled once, then reused). `exec` replaces this process, so
/// signals and the exit status are the other build's own.
#[cfg(not(feature = "maintainer"))]
fn as_maintainer(what: &str) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    use std::os::unix::process::CommandExt;
    eprintln!(
        "{what} is a maintainer's command: running it from the build of xtask that has the \
         browser check (the first time, cargo compiles it: about a minute)"
    );
    let error = std::process::Command::new(env!("CARGO"))
        .current_dir(catalog::repo_root())
        .args([
            "run",
            "--package",
            "xtask",
            "--features",
            "maintainer",
            "--",
        ])
        .args(std::env::args_os().skip(1))
        .exec();
    Err(error).context("failed to start cargo")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        let _ = <Cli as clap::CommandFactory>::command().print_help();
        return ExitCode::SUCCESS;
    };
    let outcome = match command {
        Commands::Book {
            serve,
            port,
            check,
            screenshots,
            self_test,
            lang: _,
        } if check => {
            #[cfg(feature = "maintainer")]
            {
                book::run_edition(serve, port, &book::KOREAN).and_then(|()| {
                    let checked = book_check(screenshots.as_deref())?;
                    if self_test && book_self_test()? != ExitCode::SUCCESS {
                        return Ok(ExitCode::FAILURE);
                    }
                    Ok(checked)
                })
            }
            #[cfg(not(feature = "maintainer"))]
            {
                let _ = (serve, port, screenshots, self_test);
                as_maintainer("`cargo xtask book --check`")
            }
        }
        Commands::Book {
            serve, port, lang, ..
        } => {
            let edition = book::edition(&lang).expect("clap accepts only known codes");
            book::run_edition(serve, port, edition).map(|()| ExitCode::SUCCESS)
        }
        #[cfg(feature = "maintainer")]
        Commands::Po { check } => i18n::run(check),
        #[cfg(not(feature = "maintainer"))]
        Commands::Po { .. } => as_maintainer("`cargo xtask po`"),
        Commands::Grade(args) => grade::run(&args),
        Commands::Hint { exercise, all } => hint::run(&exercise, all),
        Commands::List => list::run(),
        Commands::Watch { start, manual } => watch::run(start.as_deref(), manual),
        Commands::Reset { exercise } => reset::run(&exercise),
        Commands::New { chapter, id, title } => new::run(&chapter, &id, title.as_deref()),
        Commands::Verify(args) => verify::run(&args),
        Commands::Bench { runs, vs_rustlings } => bench::run(runs.max(1), vs_rustlings),
        #[cfg(feature = "maintainer")]
        Commands::Test => test::run(),
        #[cfg(not(feature = "maintainer"))]
        Commands::Test => as_maintainer("`cargo xtask test`"),
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::from(EXIT_USAGE)
    })
}
