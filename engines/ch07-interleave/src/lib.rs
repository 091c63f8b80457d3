//! Tiny threads over shared variables, stepped one indivisible step at a time: chapter 07's
//! machine for interleavings.
//!
//! A [`Program`] is a handful of shared integer variables and two or three threads, each a
//! short list of [`Step`]s. One step is indivisible: a thread cannot be interrupted in the
//! middle of one, only between two. A *schedule* is the order in which the steps of all
//! threads run; [`State`] runs one step at a time from the start ([`State::start`],
//! [`State::can_step`], [`State::step`]), and [`render`] replays a schedule step by step as
//! text.
//!
//! The instruction set is deliberately small, like the machine code a compiler makes from
//! `x = x + 1` (a load, an add, a store):
//!
//! | step | meaning | what it touches |
//! |------|---------|-----------------|
//! | `Load { into: r, from: x }` | `r = x` | reads shared `x`, writes the thread's own register `r` |
//! | `Add { reg: r, value: k }` | `r = r + k` | the thread's register only |
//! | `Store { var: x, from: r }` | `x = r` | writes shared `x` |
//! | `Set { var: x, value: k }` | `x = k` | writes shared `x` (a flag, or a constant) |
//! | `WaitUntil { var: x, value: k }` | wait until `x == k` | reads shared `x`; cannot run until it holds |
//!
//! Each thread has [`REGISTERS`] registers of its own, all starting at 0; registers are
//! private, so they are not part of the final state. A thread that is waiting on a
//! `WaitUntil` whose condition is false cannot take a step; when every unfinished thread is
//! waiting, the schedule ends there, stuck.
//!
//! The number of schedules of threads with n₁, n₂, n₃ steps and no waits is the multinomial
//! (n₁+n₂+n₃)! / (n₁! n₂! n₃!): 6 for two threads of 2 steps, 20 for two of 3, 1680 for
//! three of 3. Search only small programs: three threads of five steps are already 756,756
//! schedules.
//!
//! Why a crate of its own, and why without the search: chapter 07's `predict` exercise is
//! written against these types, so the lesson, the exercises' crates and the grading tests
//! all need them, and a lesson is no dependency of the exercises. The search over every
//! schedule is that exercise's answer, so it is not here, where a learner's code could call
//! it: the lesson has its own (`lessons/lesson-07/src/interleave.rs`), and the grading test
//! a private one.

use std::fmt;

use support::seeded::Rng;

/// How many registers each thread has (`r0` to `r3`).
pub const REGISTERS: usize = 4;

/// A thread's own register, `0..REGISTERS`.
pub type Reg = usize;

/// A shared variable: an index into [`Program::vars`].
pub type Var = usize;

/// One indivisible step of a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `into = from`: read a shared variable into a register.
    Load { into: Reg, from: Var },
    /// `var = from`: write a register to a shared variable.
    Store { var: Var, from: Reg },
    /// `reg = reg + value`: arithmetic on the thread's own register.
    Add { reg: Reg, value: i64 },
    /// `var = value`: write a constant to a shared variable in one step (a flag).
    Set { var: Var, value: i64 },
    /// Wait until `var == value`; the thread cannot take this step before then.
    WaitUntil { var: Var, value: i64 },
}

/// Shared variables with their starting values, and the threads that run over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// Each shared variable's name and starting value.
    pub vars: Vec<(String, i64)>,
    /// Each thread's steps, in program order. Threads are named A, B, C in output.
    pub threads: Vec<Vec<Step>>,
}

/// A schedule: which thread ran each step, in order (`[0, 1, 1, 0]` is A, B, B, A).
pub type Schedule = Vec<usize>;

/// The machine's state part-way through a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// For each thread, the index of its next step.
    pub pcs: Vec<usize>,
    /// For each thread, its registers.
    pub regs: Vec<[i64; REGISTERS]>,
    /// The shared variables' current values, in the order of [`Program::vars`].
    pub vars: Vec<i64>,
}

impl Program {
    /// A program over `vars` (name, starting value) with the given threads.
    pub fn new(vars: &[(&str, i64)], threads: Vec<Vec<Step>>) -> Self {
        Program {
            vars: vars.iter().map(|&(n, v)| (n.to_string(), v)).collect(),
            threads,
        }
    }

    /// The index of the variable called `name`.
    pub fn var(&self, name: &str) -> Option<Var> {
        self.vars.iter().position(|(n, _)| n == name)
    }

    /// The textbook race: `threads` threads each doing `x = x + 1` as load, add, store.
    pub fn increments(threads: usize) -> Self {
        let one = vec![
            Step::Load { into: 0, from: 0 },
            Step::Add { reg: 0, value: 1 },
            Step::Store { var: 0, from: 0 },
        ];
        Program::new(&[("x", 0)], vec![one; threads])
    }

    /// A model (not the machine's code) of the Therac-25 data-entry race: the operator
    /// types X-ray (`mode = 1`), marks entry complete, then corrects it to electron
    /// (`mode = 2`); the treatment task waits for "complete", reads the mode once and sets
    /// up the `beam` from it. Outcomes where `beam != mode` fire the wrong beam.
    pub fn therac() -> Self {
        Program::new(
            &[("mode", 0), ("entered", 0), ("beam", 0)],
            vec![
                vec![
                    Step::Set { var: 0, value: 1 },
                    Step::Set { var: 1, value: 1 },
                    Step::Set { var: 0, value: 2 },
                ],
                vec![
                    Step::WaitUntil { var: 1, value: 1 },
                    Step::Load { into: 0, from: 0 },
                    Step::Store { var: 2, from: 0 },
                ],
            ],
        )
    }

    /// How many steps all threads have together.
    pub fn total_steps(&self) -> usize {
        self.threads.iter().map(Vec::len).sum()
    }

    /// One step written as code, e.g. `r0 = x` or `wait until entered == 1`.
    pub fn describe(&self, step: Step) -> String {
        let name = |v: Var| self.vars.get(v).map_or("?", |(n, _)| n.as_str());
        match step {
            Step::Load { into, from } => format!("r{into} = {}", name(from)),
            Step::Store { var, from } => format!("{} = r{from}", name(var)),
            Step::Add { reg, value } if value < 0 => format!("r{reg} = r{reg} - {}", -value),
            Step::Add { reg, value } => format!("r{reg} = r{reg} + {value}"),
            Step::Set { var, value } => format!("{} = {value}", name(var)),
            Step::WaitUntil { var, value } => format!("wait until {} == {value}", name(var)),
        }
    }
}

/// A thread's name in output: A, B, C, ...
pub fn thread_name(thread: usize) -> char {
    (b'A' + (thread % 26) as u8) as char
}

impl fmt::Display for Program {
    /// The shared variables, then each thread's steps side by side in columns.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start: Vec<String> = self
            .vars
            .iter()
            .map(|(n, v)| format!("{n} = {v}"))
            .collect();
        writeln!(f, "shared: {}", start.join(", "))?;
        let columns: Vec<Vec<String>> = self
            .threads
            .iter()
            .map(|steps| steps.iter().map(|&s| self.describe(s)).collect())
            .collect();
        let width = columns
            .iter()
            .flatten()
            .map(String::len)
            .max()
            .unwrap_or(0)
            .max(9)
            + 4;
        let heads: Vec<String> = (0..self.threads.len())
            .map(|t| format!("{:width$}", format!("thread {}", thread_name(t))))
            .collect();
        writeln!(f, "{}", heads.concat().trim_end())?;
        let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
        for row in 0..rows {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| {
                    format!(
                        "  {:w$}",
                        c.get(row).map_or("", String::as_str),
                        w = width - 2
                    )
                })
                .collect();
            writeln!(f, "{}", cells.concat().trim_end())?;
        }
        Ok(())
    }
}

impl State {
    /// Every thread at its first step, registers 0, variables at their starting values.
    pub fn start(program: &Program) -> Self {
        State {
            pcs: vec![0; program.threads.len()],
            regs: vec![[0; REGISTERS]; program.threads.len()],
            vars: program.vars.iter().map(|&(_, v)| v).collect(),
        }
    }

    /// The step `thread` would take next, or `None` if it has finished.
    pub fn next_step(&self, program: &Program, thread: usize) -> Option<Step> {
        program.threads[thread].get(self.pcs[thread]).copied()
    }

    /// Whether `thread` can take a step now: it has one left and is not waiting.
    pub fn can_step(&self, program: &Program, thread: usize) -> bool {
        match self.next_step(program, thread) {
            None => false,
            Some(Step::WaitUntil { var, value }) => self.vars[var] == value,
            Some(_) => true,
        }
    }

    /// True when every thread has run all of its steps.
    pub fn finished(&self, program: &Program) -> bool {
        (0..program.threads.len()).all(|t| self.next_step(program, t).is_none())
    }

    /// Runs `thread`'s next step. Panics if it cannot take one ([`State::can_step`]).
    pub fn step(&mut self, program: &Program, thread: usize) {
        assert!(
            self.can_step(program, thread),
            "thread {} cannot step now",
            thread_name(thread)
        );
        let regs = &mut self.regs[thread];
        match program.threads[thread][self.pcs[thread]] {
            Step::Load { into, from } => regs[into] = self.vars[from],
            Step::Store { var, from } => self.vars[var] = regs[from],
            Step::Add { reg, value } => regs[reg] += value,
            Step::Set { var, value } => self.vars[var] = value,
            Step::WaitUntil { .. } => {}
        }
        self.pcs[thread] += 1;
    }
}

/// Replays `schedule` step by step: one numbered line per step, with what it changed.
///
/// ```text
///  1. A  r0 = x          A.r0 = 0
///  2. B  r0 = x          B.r0 = 0
/// ```
///
/// Stops early (saying so) at a step the schedule asks of a thread that cannot take it.
pub fn render(program: &Program, schedule: &[usize]) -> String {
    let mut state = State::start(program);
    let mut out = String::new();
    let width = program
        .threads
        .iter()
        .flatten()
        .map(|&s| program.describe(s).len())
        .max()
        .unwrap_or(0);
    for (i, &thread) in schedule.iter().enumerate() {
        let Some(step) = state
            .next_step(program, thread)
            .filter(|_| state.can_step(program, thread))
        else {
            out.push_str(&format!(
                "{:2}. {}  cannot step here\n",
                i + 1,
                thread_name(thread)
            ));
            return out;
        };
        state.step(program, thread);
        let effect = match step {
            Step::Load { into: r, .. } | Step::Add { reg: r, .. } => {
                format!("{}.r{r} = {}", thread_name(thread), state.regs[thread][r])
            }
            Step::Store { var, .. } | Step::Set { var, .. } => {
                format!("{} = {}", program.vars[var].0, state.vars[var])
            }
            Step::WaitUntil { .. } => "(condition holds)".to_string(),
        };
        let code = program.describe(step);
        out.push_str(&format!(
            "{:2}. {}  {code:width$}  {effect}\n",
            i + 1,
            thread_name(thread)
        ));
    }
    out
}

/// The final state as text: `x = 1` or `mode = 2, entered = 1, beam = 1`.
pub fn describe_vars(program: &Program, vars: &[i64]) -> String {
    let pairs: Vec<String> = program
        .vars
        .iter()
        .zip(vars)
        .map(|((n, _), v)| format!("{n} = {v}"))
        .collect();
    pairs.join(", ")
}

/// A small random program for predict-then-reveal: 2 or 3 threads over `x` (and sometimes
/// `y`), each thread one or two statements, each statement one of `x = x + k` (load, add,
/// store), `x = k` (one `Set`), or `y = x` (load, store). No waits, so nothing is stuck;
/// at most 9 steps in all, so at most 1680 schedules. The same seed gives the same program.
pub fn random_program(rng: &mut Rng) -> Program {
    let threads = rng.between(2, 3) as usize;
    let two_vars = rng.between(0, 2) == 0;
    let mut vars = vec![("x", rng.between(0, 2) as i64)];
    if two_vars {
        vars.push(("y", 0));
    }
    let budget = if threads == 3 { 3 } else { 5 };
    let mut code = Vec::with_capacity(threads);
    for _ in 0..threads {
        let mut steps = Vec::new();
        let statements = if threads == 2 { rng.between(1, 2) } else { 1 };
        for _ in 0..statements {
            let kind = rng.between(0, if two_vars { 4 } else { 3 });
            let statement = match kind {
                0 | 1 => {
                    let k = rng.between(1, 3) as i64;
                    vec![
                        Step::Load { into: 0, from: 0 },
                        Step::Add { reg: 0, value: k },
                        Step::Store { var: 0, from: 0 },
                    ]
                }
                2 => vec![Step::Set {
                    var: 0,
                    value: rng.between(5, 9) as i64,
                }],
                3 => {
                    let k = rng.between(2, 3) as i64;
                    // x = x * k would need a multiply; x = x - k keeps the set small.
                    vec![
                        Step::Load { into: 0, from: 0 },
                        Step::Add { reg: 0, value: -k },
                        Step::Store { var: 0, from: 0 },
                    ]
                }
                _ => vec![
                    Step::Load { into: 1, from: 0 },
                    Step::Store { var: 1, from: 1 },
                ],
            };
            if steps.len() + statement.len() <= budget {
                steps.extend(statement);
            }
        }
        if steps.is_empty() {
            steps.push(Step::Set { var: 0, value: 5 });
        }
        code.push(steps);
    }
    Program::new(&vars, code)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Every schedule, by brute force over all orders (the test's own enumeration).
    fn all_schedules(
        program: &Program,
        state: &State,
        prefix: &mut Schedule,
        out: &mut Vec<Schedule>,
    ) {
        if state.finished(program) {
            out.push(prefix.clone());
        }
        for t in 0..program.threads.len() {
            if state.can_step(program, t) {
                let mut next = state.clone();
                next.step(program, t);
                prefix.push(t);
                all_schedules(program, &next, prefix, out);
                prefix.pop();
            }
        }
    }

    #[test]
    fn only_the_order_of_loads_and_stores_matters() {
        // The add touches a private register, so only the order of the four memory steps
        // (each thread's load before its store) decides x: C(4, 2) = 6 orders, of which
        // AABB and BBAA give 2 and ABAB, ABBA, BAAB, BABA give 1, which is the count for
        // `x = x + 1` written as two steps, `r0 = x + 1; x = r0`.
        let program = Program::increments(2);
        let mut schedules = Vec::new();
        all_schedules(
            &program,
            &State::start(&program),
            &mut Vec::new(),
            &mut schedules,
        );
        assert_eq!(schedules.len(), 20);
        let mut by_order: BTreeMap<String, i64> = BTreeMap::new();
        for schedule in &schedules {
            let mut state = State::start(&program);
            let mut order = String::new();
            for &t in schedule {
                if !matches!(state.next_step(&program, t), Some(Step::Add { .. })) {
                    order.push(thread_name(t));
                }
                state.step(&program, t);
            }
            let previous = by_order.insert(order.clone(), state.vars[0]);
            assert!(
                previous.is_none_or(|x| x == state.vars[0]),
                "{order} gave two values"
            );
        }
        let ones: Vec<&str> = by_order
            .iter()
            .filter(|&(_, &x)| x == 1)
            .map(|(k, _)| k.as_str())
            .collect();
        let twos: Vec<&str> = by_order
            .iter()
            .filter(|&(_, &x)| x == 2)
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(ones, ["ABAB", "ABBA", "BAAB", "BABA"]);
        assert_eq!(twos, ["AABB", "BBAA"]);
    }

    #[test]
    fn render_shows_each_step_and_its_effect() {
        let program = Program::increments(2);
        let text = render(&program, &[0, 1, 0, 0, 1, 1]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[0], " 1. A  r0 = x       A.r0 = 0");
        assert_eq!(lines[5], " 6. B  x = r0       x = 1");
        assert!(program.to_string().contains("thread A"));
    }

    #[test]
    fn random_programs_are_small_and_replayable() {
        for seed in 0..200 {
            let a = random_program(&mut Rng::new(seed));
            assert_eq!(a, random_program(&mut Rng::new(seed)));
            assert!(a.total_steps() <= 9, "seed {seed}: {a}");
            // No waits, so no schedule can end stuck.
            assert!(
                a.threads
                    .iter()
                    .flatten()
                    .all(|s| !matches!(s, Step::WaitUntil { .. })),
                "seed {seed}: {a}"
            );
            let mut schedules = Vec::new();
            all_schedules(&a, &State::start(&a), &mut Vec::new(), &mut schedules);
            assert!(schedules.len() <= 1680, "seed {seed}: {a}");
        }
    }
}
