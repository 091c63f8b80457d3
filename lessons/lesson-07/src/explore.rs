//! Step 2 (every interleaving), step 10 (the Therac-25 model), and `lesson-07 explore`:
//! tiny threads of `ch07_interleave` run through [`crate::interleave`], which tries every
//! schedule.

use ch07_interleave::{Program, describe_vars, random_program, render, thread_name};
use support::fmt;
use support::seeded::Rng;
use support::table::Table;

use crate::interleave::{self, Explored};

/// The outcomes of `program` as a table: final values, how many schedules, witness.
fn outcome_table(program: &Program, explored: &Explored) -> Table {
    let mut table = Table::new(["final values", "schedules", "one of them"]).right(1);
    for outcome in &explored.outcomes {
        let witness: String = outcome.witness.iter().map(|&t| thread_name(t)).collect();
        let mut values = describe_vars(program, &outcome.vars);
        if outcome.stuck {
            values.push_str(" (stuck)");
        }
        table.row([values, outcome.count.to_string(), witness]);
    }
    table
}

/// Prints a program, indented.
fn print_program(program: &Program) {
    for line in program.to_string().lines() {
        println!("    {line}");
    }
}

/// Prints a schedule step by step, indented.
fn print_schedule(program: &Program, schedule: &[usize]) {
    for line in render(program, schedule).lines() {
        println!("    {line}");
    }
}

// ANCHOR: explore_increments
/// Every schedule of `threads` threads each doing `x = x + 1` as three steps.
pub fn explore_increments(threads: usize) -> (Program, Explored) {
    let program = Program::increments(threads);
    let explored = interleave::explore(&program);
    (program, explored)
}
// ANCHOR_END: explore_increments

pub fn show_every_interleaving() {
    fmt::step("2. Every interleaving");
    fmt::note(
        "x = x + 1 is three steps for the CPU: load x into a register, add 1, store it back.\n\
         A thread can be interrupted between any two. The explorer runs every order\n\
         (schedule) of the threads' steps from x = 0 and groups them by the final x.",
    );
    for threads in [2, 3] {
        let (program, explored) = explore_increments(threads);
        println!();
        print_program(&program);
        println!(
            "  {} schedules; final x: {:?}",
            explored.schedules,
            explored.values_of(&program, "x")
        );
        print!("{}", outcome_table(&program, &explored));
        if threads == 2 {
            let losing = explored
                .outcomes
                .iter()
                .find(|o| o.vars[0] < threads as i64)
                .expect("two increments can lose one");
            println!("  a schedule that loses an update, step by step:");
            print_schedule(&program, &losing.witness);
        }
    }
    fmt::note(
        "Only the schedules where each thread's load and store stay together give the right\n\
         answer; every other one loses at least one update. Step 1's threads ran millions of\n\
         such steps, so they met many of these schedules.",
    );
}

/// `lesson-07 explore --seed N [--answer]`: predict, then reveal.
pub fn predict(seed: u64, answer: bool) {
    let program = random_program(&mut Rng::new(seed));
    println!("Puzzle {seed}: these threads run at the same time; each line is one step.");
    println!("A thread can be interrupted between any two of its steps.\n");
    print_program(&program);
    let names: Vec<&str> = program.vars.iter().map(|(n, _)| n.as_str()).collect();
    if !answer {
        println!(
            "\nWhich final values of {} are possible? Write them down, then run\n  \
             cargo run -p lesson-07 -- explore --seed {seed} --answer",
            names.join(" and ")
        );
        return;
    }
    let explored = interleave::explore(&program);
    println!("\nEvery schedule, run: {} in all.", explored.schedules);
    for name in &names {
        println!(
            "  possible final values of {name}: {:?}",
            explored.values_of(&program, name)
        );
    }
    print!("{}", outcome_table(&program, &explored));
    if let Some(rarest) = explored.outcomes.iter().min_by_key(|o| o.count) {
        println!("  the rarest outcome, step by step:");
        print_schedule(&program, &rarest.witness);
    }
}

pub fn show_therac() {
    fmt::step("10. Therac-25 as a model");
    fmt::note(
        "A MODEL, not the machine's code (which was PDP-11 assembly): chapter 00's data-entry\n\
         race cut down to two threads. mode: 1 = X-ray, 2 = electron; the turntable follows\n\
         mode. Thread A is the operator: X, entry complete, then a correction to E. Thread B\n\
         sets up: it waits for entry complete, reads mode once, and sets the beam from it.",
    );
    let program = Program::therac();
    print_program(&program);
    let explored = interleave::explore(&program);
    print!("{}", outcome_table(&program, &explored));
    let (mode, beam) = (
        program.var("mode").expect("the model has mode"),
        program.var("beam").expect("the model has beam"),
    );
    let wrong: Vec<_> = explored
        .outcomes
        .iter()
        .filter(|o| o.vars[beam] != o.vars[mode])
        .collect();
    let wrong_beam: u64 = wrong.iter().map(|o| o.count).sum();
    println!(
        "  {wrong_beam} of {} schedules end with beam ≠ mode: the X-ray beam set up, the\n  \
         turntable in the electron position. One of them:",
        explored.schedules
    );
    if let Some(first) = wrong.first() {
        print_schedule(&program, &first.witness);
    }
}
