use std::sync::{Arc, Barrier, Mutex};

/// The classic: two threads take two locks in opposite orders.
#[test]
#[ignore = "grader test data"]
fn deadlocks() {
    let _graded = support::sealed::graded();
    let (a, b) = (Arc::new(Mutex::new(0)), Arc::new(Mutex::new(0)));
    let both_hold_one = Arc::new(Barrier::new(2));
    let other = {
        let (a, b, barrier) = (a.clone(), b.clone(), both_hold_one.clone());
        std::thread::spawn(move || {
            let _b = b.lock().unwrap();
            barrier.wait();
            let _a = a.lock().unwrap();
        })
    };
    let _a = a.lock().unwrap();
    both_hold_one.wait();
    let _b = b.lock().unwrap();
    other.join().unwrap();
}
