//! Does not compile, on purpose: `tests/compile_fail.rs` checks that rustc still rejects it.
//! expected: error[E0277]: `Rc<Vec<i32>>` cannot be sent between threads safely

use std::rc::Rc;
use std::thread;

pub fn share_an_rc() {
    // ANCHOR: rc
    let list = Rc::new(vec![1, 2, 3]);
    let for_the_thread = Rc::clone(&list);
    // Rc counts its owners with a plain integer: two threads changing it at once could
    // lose an update and free the list too early. So Rc is not `Send`.
    let handle = thread::spawn(move || for_the_thread.len());
    // ANCHOR_END: rc
    handle.join().unwrap();
}
