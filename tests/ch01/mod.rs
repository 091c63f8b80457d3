//! Grading tests for chapter 01. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-01` (grading) and `solutions-01` (verification).

mod ancestry;
mod proc_stat;
mod segments;
