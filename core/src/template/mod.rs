//! CloudFormation template generation (in progress: see the template/policy issue).

pub mod emit;
