//! Exercise `fork_tree`: predict the processes a little program of forks creates — then
//! the tests run it for real and compare.
//!
//! Every process that reaches a `fork()` splits in two, and *both* go on to the next
//! line. So a program's forks multiply: two `fork();` lines make four processes, not
//! three. [`generate`] makes small programs from a seed (as OSTEP's `fork.py` does), of
//! three kinds of line:
//!
//! ```text
//! fork();                       // every process here makes one child; both go on
//! if (fork() == 0) exit(0);     // every process here makes one child, which ends at once
//! if (fork() > 0) fork();       // the parent makes two children; all three go on
//! ```
//!
//! Processes are named by who made them: the first process is `a`; the `k`-th child
//! (counting from 1) that process `L` makes is `L.k`. A new child has made no children
//! yet, whatever its parent had made: the child of `a.2` made on its first fork is `a.2.1`.
//!
//! The tests print a program, ask [`predict`] for the names, and check them against a
//! real run of the program, in which every process reports its own name, PID and PPID.
//! The real runs use fresh seeds each time (from the clock), never the ones the snapshot
//! shows; a failure prints the seed, and `PTM_SEED=<seed>` runs the same ones again.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use std::fmt;

/// One line of a fork program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// `fork();`
    Fork,
    /// `if (fork() == 0) exit(0);`
    ForkChildExits,
    /// `if (fork() > 0) fork();`
    ForkTwiceInParent,
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Line::Fork => "fork();",
            Line::ForkChildExits => "if (fork() == 0) exit(0);",
            Line::ForkTwiceInParent => "if (fork() > 0) fork();",
        })
    }
}

/// A small fork program made from `seed`: two to four lines, never more than 24
/// processes still running at its end. The same seed always gives the same program.
pub fn generate(seed: u64) -> Vec<Line> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let lines = 2 + next(3) as usize;
    let mut program = Vec::new();
    // How many processes run on after each line: ×2, ×1 or ×3.
    let mut running = 1;
    while program.len() < lines {
        let (line, factor) = match next(3) {
            0 => (Line::Fork, 2),
            1 => (Line::ForkChildExits, 1),
            _ => (Line::ForkTwiceInParent, 3),
        };
        if running * factor <= 24 {
            running *= factor;
            program.push(line);
        }
    }
    program
}

/// The program as C-like text, one line each.
pub fn render(program: &[Line]) -> String {
    program.iter().map(|line| format!("{line}\n")).collect()
}

/// The names of every process a run of `program` creates, the first process `a`
/// included, **sorted** (the order of `String`'s `Ord`). Their number is the number of
/// processes.
///
/// Hint of a plan: a function that "runs" one process named `name` from line `from`,
/// pushing its name and, at each line, "running" each child it makes from the line after.
pub fn predict(program: &[Line]) -> Vec<String> {
    // ANCHOR: solution
    fn run(program: &[Line], name: String, from: usize, names: &mut Vec<String>) {
        let mut made = 0;
        let child = |made: &mut u32| {
            *made += 1;
            format!("{name}.{made}")
        };
        let mut to_run = Vec::new();
        for (index, line) in program.iter().enumerate().skip(from) {
            match line {
                Line::Fork => to_run.push((child(&mut made), index + 1)),
                Line::ForkChildExits => names.push(child(&mut made)),
                Line::ForkTwiceInParent => {
                    to_run.push((child(&mut made), index + 1));
                    to_run.push((child(&mut made), index + 1));
                }
            }
        }
        names.push(name.clone());
        for (child, from) in to_run {
            run(program, child, from, names);
        }
    }
    let mut names = Vec::new();
    run(program, "a".to_owned(), 0, &mut names);
    names.sort();
    names
    // ANCHOR_END: solution
}
