//! Role assignments and Key Vaults. Azure names a principal by its Entra object id, the
//! model by a user or group name: a principal is named after its `principalId` value (an
//! object id, or a parameter's stand-in), and is a user or a group as `principalType` or
//! the parameter's metadata (bastion-sim's export) says; anything else is listed.

use super::*;
use crate::engine::rbac::role_definition_id;
use crate::model::validate::resource_exists_in_any_case;

const ROLE_ASSIGNMENT: &str = "microsoft.authorization/roleassignments";
/// The nested form `vnet/Microsoft.Authorization/name` of type `…/providers/roleAssignments`.
const NESTED_ROLE_ASSIGNMENT: &str = "/providers/roleassignments";
const KEY_VAULT: &str = "microsoft.keyvault/vaults";
const KEY_VAULT_POLICIES: &str = "microsoft.keyvault/vaults/accesspolicies";

impl Mapper {
    pub(super) fn key_vaults(&mut self) {
        for i in self.of_type(KEY_VAULT) {
            let name = self.name(i);
            if self.design.key_vaults.iter().any(|k| same(&k.name, &name)) {
                self.skip(i, "another Key Vault of that name is already imported");
                continue;
            }
            let rbac = flag(self.props(i), "enableRbacAuthorization") == Some(true);
            let raw = &self.raws[i];
            self.design.key_vaults.push(KeyVault {
                name,
                subscription: raw.subscription.clone(),
                resource_group: raw.resource_group.clone(),
                permission_model: if rbac {
                    KeyVaultPermissionModel::Rbac
                } else {
                    KeyVaultPermissionModel::AccessPolicy
                },
                access_policies: Vec::new(),
            });
            self.done(i);
        }
    }

    pub(super) fn role_assignments(&mut self) {
        for i in 0..self.raws.len() {
            let rtype = self.raws[i].rtype.to_ascii_lowercase();
            if self.used[i] || !(rtype == ROLE_ASSIGNMENT || rtype.ends_with(NESTED_ROLE_ASSIGNMENT)) {
                continue;
            }
            if let Err(why) = self.role_assignment(i) {
                self.skip(i, why);
            }
        }
    }

    fn role_assignment(&mut self, i: usize) -> Result<(), String> {
        let props = self.props(i).clone();
        let definition = text(&props, "roleDefinitionId")
            .ok_or_else(|| format!("its role is unknown: {}", why_missing(&props, "roleDefinitionId")))?;
        let guid = definition.rsplit('/').next().unwrap_or_default();
        let role = Role::ALL.into_iter().find(|&role| same(role_definition_id(role), guid)).ok_or_else(|| {
            format!("role definition '{guid}' is not a built-in role the engine knows (a custom role, or one outside the ten it models)")
        })?;
        let scope = self.assignment_scope(i)?;
        let id = text(&props, "principalId")
            .ok_or_else(|| format!("its principal is unknown: {}", why_missing(&props, "principalId")))?;
        let principal = self.principal(i, &id, text(&props, "principalType").as_deref())?;
        let assignment = RoleAssignment { principal, role, scope };
        if self.design.role_assignments.iter().any(|a| {
            a.principal == assignment.principal && a.role == assignment.role && same(&a.scope, &assignment.scope)
        }) {
            return Err("the same role assignment is already imported".into());
        }
        self.design.role_assignments.push(assignment);
        self.done(i);
        Ok(())
    }

    /// The ARM scope of a role assignment: its `scope` (an id, or `Type/name` relative to
    /// the resource group), the resource it is nested under, or where it is deployed.
    fn assignment_scope(&self, i: usize) -> Result<String, String> {
        let raw = &self.raws[i];
        let group = format!("/subscriptions/{}/resourceGroups/{}", raw.subscription, raw.resource_group);
        let given = raw.body.get("scope").filter(|s| !s.is_null()).or_else(|| at(self.props(i), "scope"));
        let id = match given {
            Some(value) => match (value.as_str(), unknown_why(value)) {
                (_, Some(why)) => return Err(format!("its scope is unknown: {why}")),
                (Some(s), _) if s.starts_with('/') => s.to_string(),
                (Some(s), _) => format!("{group}/providers/{s}"),
                _ => return Err("its scope is not a resource id".into()),
            },
            None => match raw.rtype.len().checked_sub(NESTED_ROLE_ASSIGNMENT.len()) {
                Some(cut) if !same(&raw.rtype, ROLE_ASSIGNMENT) => {
                    let base = &raw.rtype[..cut];
                    let mut types = base.split('/');
                    let mut id = format!("{group}/providers/{}", types.next().unwrap_or_default());
                    for (ty, name) in types.zip(&raw.names) {
                        id.push_str(&format!("/{ty}/{name}"));
                    }
                    id
                }
                _ => group,
            },
        };
        match Scope::parse(&id) {
            Err(message) => Err(format!("its scope {id} is not one the model holds: {message}")),
            Ok(Scope::ManagementGroup(name)) if !self.design.management_groups.iter().any(|m| same(&m.name, &name)) => {
                Err(format!("its scope is management group '{name}', which is not in the input"))
            }
            Ok(Scope::Resource(it)) if !resource_exists_in_any_case(&self.design, it.kind, &it.name) => {
                Err(format!("its scope, {} '{}', is not in the imported design", it.kind.arm_type(), it.name))
            }
            Ok(_) => Ok(id),
        }
    }

    /// The design's user or group for a principal id, created when absent; its kind from
    /// `principalType`, else from the metadata of the parameter it came from.
    fn principal(&mut self, i: usize, id: &str, given_type: Option<&str>) -> Result<String, String> {
        let known = self.principals.iter().find(|(value, _)| same(value, id)).map(|(_, ty)| ty.clone());
        // One a role assignment has already imported is what it was imported as.
        let imported = if self.design.users.iter().any(|u| same(&u.name, id)) {
            Some("User".to_string())
        } else {
            self.design.groups.iter().any(|g| same(&g.name, id)).then(|| "Group".to_string())
        };
        // Without a type (most quickstarts omit `principalType`) the principal stands in as a
        // user, the kind that signs in through Bastion, and the stand-in is listed: dropping
        // the assignment would hide the reads it grants.
        let ty = match given_type.map(str::to_string).or(known).or(imported) {
            Some(ty) => ty,
            None => {
                let path = self.raws[i].path.clone();
                self.note(
                    path,
                    format!("the type of principal '{id}'"),
                    "its principalType is not given: imported as a user; set principalType if it is a group or an application",
                );
                "User".to_string()
            }
        };
        let group = match ty.to_ascii_lowercase().as_str() {
            "user" => false,
            "group" => true,
            _ => {
                return Err(format!(
                    "its principal is a {ty}: the model's principals are users and groups (who sign in through Bastion)"
                ))
            }
        };
        let user = self.design.users.iter().find(|u| same(&u.name, id)).map(|u| u.name.clone());
        let found = self.design.groups.iter().find(|g| same(&g.name, id)).map(|g| g.name.clone());
        match (user, found) {
            (Some(name), _) if !group => Ok(name),
            (_, Some(name)) if group => Ok(name),
            (Some(_), _) | (_, Some(_)) => Err(format!("'{id}' is imported as both a user and a group")),
            (None, None) if group => {
                self.design.groups.push(Group { name: id.to_string(), members: Vec::new() });
                let path = self.raws[i].path.clone();
                self.note(
                    path,
                    format!("the members of group '{id}'"),
                    "membership lives in Entra ID, not in the template: the group is imported without members",
                );
                Ok(id.to_string())
            }
            (None, None) => {
                self.design.users.push(User { name: id.to_string(), display_name: String::new() });
                Ok(id.to_string())
            }
        }
    }

    /// Access policies of the imported Key Vaults (inline, or `vaults/accessPolicies`):
    /// their principals by object id, mapped as role assignments' are.
    pub(super) fn access_policies(&mut self) {
        for i in 0..self.raws.len() {
            let rtype = self.raws[i].rtype.to_ascii_lowercase();
            let vault = match rtype.as_str() {
                KEY_VAULT if self.mapped[i] => self.name(i),
                KEY_VAULT_POLICIES if !self.used[i] => self.raws[i].names[0].clone(),
                _ => continue,
            };
            let Some(v) = self.design.key_vaults.iter().position(|k| same(&k.name, &vault)) else {
                self.skip(i, "its Key Vault is not in the imported design");
                continue;
            };
            let policies = at(self.props(i), "accessPolicies").and_then(Value::as_array).cloned().unwrap_or_default();
            for (j, policy) in policies.iter().enumerate() {
                let path = format!("{}.properties.accessPolicies[{j}]", self.raws[i].path);
                let what = format!("an access policy of Key Vault '{vault}'");
                let secrets: Vec<String> = at(policy, "permissions.secrets")
                    .and_then(Value::as_array)
                    .map(|s| s.iter().filter_map(Value::as_str).map(str::to_ascii_lowercase).collect())
                    .unwrap_or_default();
                let has = |p: &str| secrets.iter().any(|s| s == p || s == "all");
                let principal = match text(policy, "objectId") {
                    None => Err(format!("its principal is unknown: {}", why_missing(policy, "objectId"))),
                    Some(id) => self.principal(i, &id, None),
                };
                match principal {
                    Ok(principal) => {
                        let policy = AccessPolicy { principal, secrets_get: has("get"), secrets_list: has("list") };
                        self.design.key_vaults[v].access_policies.push(policy);
                    }
                    Err(why) => self.note(path, what, why),
                }
            }
            self.done(i);
        }
    }
}
