//! Exercise `pipeline`: stages on threads of their own, joined by bounded channels, that
//! keep the items in order and stop by themselves when the input runs out.
//!
//! A *pipeline* splits work into stages (read → parse → compute → write) and gives each
//! stage a thread, so that while one item is being computed the next is already being
//! parsed. Between two stages is a *channel*: a queue one thread sends into and another
//! receives from. [`crossbeam_channel::bounded`]`(capacity)` makes one that holds at most
//! `capacity` items: a `send` into a full channel waits until the receiver takes one. That
//! wait is *backpressure*: a fast stage in front of a slow one is held back instead of
//! piling up every item in memory. (`unbounded()` never makes a sender wait, so a quick
//! reader would load the whole input while the last stage is still on item one.)
//! `bounded(0)` holds nothing: each `send` waits for a `recv`, a hand-over.
//!
//! Shutting down needs no signal of its own. `for item in receiver` (or `receiver.iter()`)
//! ends when the channel is empty and *every* `Sender` of it has been dropped. So when the
//! input ends, the reading stage returns and drops its sender; the next stage's loop ends,
//! it returns and drops *its* sender, and so on down the line. One sender left alive (a
//! clone kept in the function that made the channels, say) and the stage after it waits
//! for ever.
//!
//! Each stage is one thread that handles its items one after another, so the order of the
//! input is the order of the output. Two threads sharing one stage would be quicker, but
//! the item that finishes first would go on first, out of order.
//!
//! [`std::thread::scope`] is the easy way to start the stages: threads started with
//! `s.spawn` may borrow the closures, and the scope waits for all of them before it
//! returns, so no thread of the pipeline outlives the call.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

/// Runs `input` through `parse` then `compute`, and hands each result to `output`, in
/// input order, each item exactly once.
///
/// - reading `input`, `parse` and `compute` each run on a thread of their own, started
///   here; `output` runs on the calling thread;
/// - the stages are joined by [`crossbeam_channel::bounded`]`(capacity)` channels, so at
///   most a few items per stage are between the input and `output` at any time;
/// - when `input` ends, every stage finishes its items and ends, and every thread this
///   function started has ended before it returns.
pub fn pipeline<T, U, V>(
    input: impl Iterator<Item = T> + Send,
    parse: impl Fn(T) -> U + Send + Sync,
    compute: impl Fn(U) -> V + Send + Sync,
    capacity: usize,
    mut output: impl FnMut(V),
) where
    T: Send,
    U: Send,
    V: Send,
{
    // ANCHOR: solution
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution
}
