//! Integration tests: the `sfperms` binary run on real inputs (the seeds' catalog, the corpus of
//! retrieved metadata), with snapshots in `snapshots/` and every generated file checked against
//! Salesforce's Metadata API schema. One test binary (faster to link).

mod common;

mod audit;
mod bad_input;
mod bad_metadata;
mod catalog_dir;
mod ci;
mod completions;
mod corpus;
mod coverage;
mod dependencies;
mod diff;
mod docs;
mod fmt;
mod fuzz_replay;
mod gen_outputs;
mod groups;
mod help;
mod json;
mod layouts;
mod project;
mod reader_limits;
mod snapshots;
mod trust;
mod variants;
mod write_path;
