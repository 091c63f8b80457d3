//! Every schedule of one of chapter 07's tiny programs, run and grouped by how it ends: the
//! explorer behind step 2, step 10 and the `explore` puzzles.
//!
//! Why here, in the lesson, and not in `ch07-interleave` beside the programs it runs: this
//! search is the answer to chapter 07's `predict` exercise, and the exercises' crates
//! depend on `ch07-interleave`, so there a learner's code could call it. No exercise
//! depends on a lesson. (The grading test keeps its own private answer key.)

use std::collections::BTreeMap;

use ch07_interleave::{Program, Schedule, State};

/// One distinct ending of a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The shared variables' final values, in the order of [`Program::vars`].
    pub vars: Vec<i64>,
    /// True if the schedules ended with every unfinished thread waiting (a deadlock).
    pub stuck: bool,
    /// How many schedules end this way.
    pub count: u64,
    /// The first schedule found (in the explorer's order: lowest thread first) that ends this way.
    pub witness: Schedule,
}

/// Everything [`explore`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explored {
    /// How many schedules there are in all (the sum of the outcomes' counts).
    pub schedules: u64,
    /// The distinct outcomes, sorted by final values (finished before stuck).
    pub outcomes: Vec<Outcome>,
}

impl Explored {
    /// The distinct final values of the variable called `name` (empty if there is none).
    pub fn values_of(&self, program: &Program, name: &str) -> Vec<i64> {
        let Some(var) = program.var(name) else {
            return Vec::new();
        };
        let mut values: Vec<i64> = self.outcomes.iter().map(|o| o.vars[var]).collect();
        values.sort_unstable();
        values.dedup();
        values
    }
}

/// Runs every schedule of `program` and groups them by how they end.
pub fn explore(program: &Program) -> Explored {
    let mut found: BTreeMap<(bool, Vec<i64>), Outcome> = BTreeMap::new();
    let mut schedule = Vec::with_capacity(program.total_steps());
    walk(program, &State::start(program), &mut schedule, &mut found);
    let outcomes: Vec<Outcome> = found.into_values().collect();
    Explored {
        schedules: outcomes.iter().map(|o| o.count).sum(),
        outcomes,
    }
}

/// Depth first: at each point, every thread that can step is tried in turn.
fn walk(
    program: &Program,
    state: &State,
    schedule: &mut Schedule,
    found: &mut BTreeMap<(bool, Vec<i64>), Outcome>,
) {
    let mut moved = false;
    for thread in 0..program.threads.len() {
        if state.can_step(program, thread) {
            moved = true;
            let mut next = state.clone();
            next.step(program, thread);
            schedule.push(thread);
            walk(program, &next, schedule, found);
            schedule.pop();
        }
    }
    if !moved {
        let stuck = !state.finished(program);
        found
            .entry((stuck, state.vars.clone()))
            .and_modify(|o| o.count += 1)
            .or_insert_with(|| Outcome {
                vars: state.vars.clone(),
                stuck,
                count: 1,
                witness: schedule.clone(),
            });
    }
}

#[cfg(test)]
mod tests {
    use ch07_interleave::{Step, random_program, render};
    use support::seeded::Rng;

    use super::*;

    fn factorial(n: u64) -> u64 {
        (1..=n).product()
    }

    /// (n₁ + n₂ + ...)! / (n₁! n₂! ...)
    fn multinomial(lengths: &[usize]) -> u64 {
        let total: usize = lengths.iter().sum();
        lengths
            .iter()
            .fold(factorial(total as u64), |acc, &n| acc / factorial(n as u64))
    }

    #[test]
    fn x_plus_1_twice_gives_1_or_2() {
        // Two threads of `x = x + 1` as load, add, store: C(6, 3) = 20 schedules. x ends at
        // 2 only when one thread's store comes before the other's load, that is when one
        // thread runs all three steps first: AAABBB and BBBAAA. The other 18 lose an update.
        let program = Program::increments(2);
        let explored = explore(&program);
        assert_eq!(explored.schedules, 20);
        let counts: Vec<(i64, u64)> = explored
            .outcomes
            .iter()
            .map(|o| (o.vars[0], o.count))
            .collect();
        assert_eq!(counts, vec![(1, 18), (2, 2)]);
        assert_eq!(explored.outcomes[1].witness, vec![0, 0, 0, 1, 1, 1]);
        assert_eq!(explored.outcomes[0].witness, vec![0, 0, 1, 0, 1, 1]);
    }

    #[test]
    fn counts_match_the_multinomial() {
        for lengths in [
            vec![1, 1],
            vec![2, 2],
            vec![3, 3],
            vec![2, 3, 1],
            vec![3, 3, 3],
            vec![4, 2],
        ] {
            let threads = lengths
                .iter()
                .map(|&n| vec![Step::Add { reg: 0, value: 1 }; n])
                .collect();
            let program = Program::new(&[("x", 0)], threads);
            assert_eq!(
                explore(&program).schedules,
                multinomial(&lengths),
                "for {lengths:?}"
            );
        }
    }

    #[test]
    fn three_increments_lose_one_or_two() {
        let program = Program::increments(3);
        let explored = explore(&program);
        assert_eq!(explored.schedules, 1680);
        assert_eq!(explored.values_of(&program, "x"), vec![1, 2, 3]);
        // All 3! serial orders give 3; a witness replays to its outcome.
        let three = explored.outcomes.iter().find(|o| o.vars == [3]).unwrap();
        assert!(three.count >= 6);
        for outcome in &explored.outcomes {
            let mut state = State::start(&program);
            for &t in &outcome.witness {
                state.step(&program, t);
            }
            assert_eq!(state.vars, outcome.vars);
        }
    }

    #[test]
    fn the_therac_model_can_fire_the_wrong_beam() {
        let program = Program::therac();
        let explored = explore(&program);
        assert!(explored.outcomes.iter().all(|o| !o.stuck));
        let wrong = explored
            .outcomes
            .iter()
            .find(|o| o.vars == [2, 1, 1])
            .expect("a wrong beam");
        assert!(render(&program, &wrong.witness).contains("beam = 1"));
        assert!(explored.outcomes.iter().any(|o| o.vars == [2, 1, 2]));
    }

    #[test]
    fn waiting_forever_is_stuck() {
        let program = Program::new(
            &[("a", 0), ("b", 0)],
            vec![
                vec![
                    Step::WaitUntil { var: 1, value: 1 },
                    Step::Set { var: 0, value: 1 },
                ],
                vec![
                    Step::WaitUntil { var: 0, value: 1 },
                    Step::Set { var: 1, value: 1 },
                ],
            ],
        );
        let explored = explore(&program);
        assert_eq!(explored.schedules, 1);
        assert!(explored.outcomes[0].stuck);
    }

    #[test]
    fn random_programs_never_end_stuck() {
        for seed in 0..200 {
            let program = random_program(&mut Rng::new(seed));
            let explored = explore(&program);
            assert!(explored.schedules <= 1680, "seed {seed}: {program}");
            assert!(explored.outcomes.iter().all(|o| !o.stuck));
        }
    }
}
