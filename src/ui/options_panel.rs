//! Remote-access options of one VM (CAF "plan for VM remote access"): Azure Bastion, JIT,
//! hybrid access over VPN/ExpressRoute and a public IP — which apply to this VM as designed,
//! why, and which one the landing-zone guidance recommends.

use super::rules_ref::RuleLink;
use crate::engine::options::{remote_access, AccessKind};
use crate::engine::{Analysis, RuleId};
use crate::model::Design;
use yew::prelude::*;

fn kind_name(kind: AccessKind) -> &'static str {
    match kind {
        AccessKind::Bastion => "Azure Bastion",
        AccessKind::Jit => "Just-in-time VM access",
        AccessKind::Hybrid => "Hybrid (VPN / ExpressRoute)",
        AccessKind::PublicIp => "Public IP",
    }
}

fn kind_slug(kind: AccessKind) -> &'static str {
    match kind {
        AccessKind::Bastion => "bastion",
        AccessKind::Jit => "jit",
        AccessKind::Hybrid => "hybrid",
        AccessKind::PublicIp => "public-ip",
    }
}

pub fn options(design: &Design, analysis: &Analysis, vm: &str, open_rule: &Callback<RuleId>) -> Html {
    let options = remote_access(design, analysis, vm);
    if options.is_empty() {
        return Html::default();
    }
    html! {
        <section class="block access-options" data-testid={format!("options-{vm}")}>
            <h3>{"Remote-access options"}</h3>
            <ul class="options">
                { for options.iter().map(|it| html! {
                    <li key={kind_slug(it.kind)} class={classes!("option", it.applies.then_some("applies"), it.recommended.then_some("recommended"))}
                        data-testid={format!("option-{}", kind_slug(it.kind))}>
                        <div class="option-head">
                            <strong>{kind_name(it.kind)}</strong>
                            if it.applies { <span class="chip reachable">{"applies"}</span> } else { <span class="chip blocked">{"does not apply"}</span> }
                            if it.recommended { <span class="chip recommended">{"recommended"}</span> }
                            <RuleLink rule={it.rule} open={open_rule.clone()} />
                        </div>
                        <div class="small">{it.why.clone()}</div>
                        if !it.via.is_empty() { <div class="small muted">{format!("via {}", it.via.join(", "))}</div> }
                        <div class="small guidance">{it.guidance.clone()}</div>
                    </li>
                }) }
            </ul>
        </section>
    }
}
