//! The AWS actions (show-changes, check-drift, test-deploy, deploy-product, delete-product).
//! Not built yet: each says so, does nothing and exits with code 7.

use ml_provisioner_core::report;

use super::{Failure, fail};
use crate::Output;
use crate::args::Action;
use crate::exit::Exit;
use crate::workspace::RunLog;

pub(super) fn not_available(action: Action, io: &mut Output<'_>, log: &mut RunLog) -> Exit {
    let failure = Failure::new(
        Exit::NotAvailable,
        format!(
            "the action '{}' is not available yet in ml-provisioner {}; this version implements {}",
            action.name(),
            ml_provisioner_core::VERSION,
            report::checklist::IMPLEMENTED_ACTIONS.join(", ")
        ),
        "nothing was done; see README.md \"Status\" for what each version provides",
    );
    fail(io, log, &failure)
}
