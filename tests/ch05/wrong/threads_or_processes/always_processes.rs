//! Wrong attempt: always processes, because they are safer — even for plain work, where forking every task is many times slower than a thread.

    // ANCHOR: solution_choose
    // A process can never take the caller down with it: always the safe choice.
    Choice::Processes
    // ANCHOR_END: solution_choose
