//! Grading tests for chapter 04. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-04` (grading) and `solutions-04` (verification).

mod own_counters;
mod scoped_sum;
mod task_ids;
