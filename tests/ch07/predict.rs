use std::collections::BTreeMap;
use std::fmt::Write;

use ch07_interleave::{Program, State, describe_vars, random_program};
use support::seeded::Rng;

use crate::predict::{outcomes, possible_values};

/// What the answer key says: final values → how many schedules. The key is this module's
/// own search, private to it: no crate the learner's depends on has one to call.
fn expected(program: &Program) -> BTreeMap<Vec<i64>, u64> {
    /// Depth first from `state`: every thread that can step is tried in turn.
    fn walk(program: &Program, state: &State, found: &mut BTreeMap<Vec<i64>, u64>) {
        let mut moved = false;
        for thread in 0..program.threads.len() {
            if state.can_step(program, thread) {
                moved = true;
                let mut next = state.clone();
                next.step(program, thread);
                walk(program, &next, found);
            }
        }
        if !moved {
            *found.entry(state.vars.clone()).or_insert(0) += 1;
        }
    }
    let mut found = BTreeMap::new();
    walk(program, &State::start(program), &mut found);
    found
}

fn report(program: &Program, found: &BTreeMap<Vec<i64>, u64>) -> String {
    let mut text = format!("{program}");
    for (vars, count) in found {
        writeln!(
            text,
            "  {:<28} in {count} schedules",
            describe_vars(program, vars)
        )
        .unwrap();
    }
    text
}

#[test]
fn the_classic_puzzles() {
    let _graded = support::sealed::graded();
    let mut puzzles = vec![
        Program::increments(2),
        Program::increments(3),
        Program::therac(),
    ];
    puzzles.extend((1..=3).map(|seed| random_program(&mut Rng::new(seed))));
    let mut text = String::new();
    for program in &puzzles {
        let yours = outcomes(program);
        assert_eq!(
            yours,
            expected(program),
            "for the program\n{program}expected / yours (final values → schedules)"
        );
        text.push_str(&report(program, &yours));
        text.push('\n');
    }
    assert_eq!(
        possible_values(&Program::increments(2), "x"),
        [1, 2],
        "x = x + 1 twice"
    );
    support::assert_graded_snapshot!("ch07-predict-puzzles", text);
}

#[test]
fn fresh_puzzles_match_every_schedule() {
    let _graded = support::sealed::graded();
    let seed = support::seeded::fresh();
    let mut rng = Rng::new(seed);
    for _ in 0..30 {
        let program = random_program(&mut rng);
        assert_eq!(
            outcomes(&program),
            expected(&program),
            "for the program\n{program}expected / yours (final values → schedules) \
             (seed {seed}: replay with PTM_SEED={seed})"
        );
    }
}
