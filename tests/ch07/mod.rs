//! Grading tests for chapter 07. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-07` (grading) and `solutions-07` (verification).

mod lost_update;
mod predict;
mod semaphore;
mod transfer;
