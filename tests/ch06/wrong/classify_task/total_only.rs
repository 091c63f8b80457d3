//! Wrong attempt: the task is classified by its total switches: many mean I/O-bound, few CPU-bound.

    // ANCHOR: solution_classify
    let total = change.voluntary + change.involuntary;
    if total == 0 {
        if change.on_cpu * 2 >= wall {
            Kind::CpuBound
        } else {
            Kind::Idle
        }
    } else if total >= 20 {
        Kind::IoBound
    } else if total >= 5 {
        Kind::Mixed
    } else {
        Kind::CpuBound
    }
    // ANCHOR_END: solution_classify
