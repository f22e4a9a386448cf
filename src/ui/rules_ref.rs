//! The in-app rule reference: every rule id the page shows is a link that opens what the
//! rule checks, why Azure behaves so and the document it comes from (`RuleId::doc`), with
//! the other rules one click away. Escape or the close button dismisses it.

use crate::engine::RuleId;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RuleLinkProps {
    pub rule: RuleId,
    pub open: Callback<RuleId>,
    #[prop_or_default]
    pub class: Classes,
}

/// A rule id as a link to its reference entry.
#[component]
pub fn RuleLink(props: &RuleLinkProps) -> Html {
    let rule = props.rule;
    let onclick = {
        let open = props.open.clone();
        Callback::from(move |event: MouseEvent| {
            event.stop_propagation();
            open.emit(rule)
        })
    };
    html! {
        <button type="button" class={classes!("rule", "rule-link", props.class.clone())} title={rule.doc().title}
            data-testid={format!("rule-link-{rule}")} {onclick}>{rule.as_str()}</button>
    }
}

#[derive(Properties, PartialEq)]
pub struct RuleReferenceProps {
    pub rule: RuleId,
    pub open: Callback<RuleId>,
    pub close: Callback<()>,
}

/// The reference entry of one rule, as a dialog beside the inspector.
#[component]
pub fn RuleReference(props: &RuleReferenceProps) -> Html {
    let doc = props.rule.doc();
    // Focus moves into the dialog, so Escape and Tab work from the keyboard at once.
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with(props.rule, move |_| {
            if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let close = {
        let close = props.close.clone();
        Callback::from(move |_: MouseEvent| close.emit(()))
    };
    let onkeydown = {
        let close = props.close.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.stop_propagation();
                close.emit(())
            }
        })
    };
    let pick = {
        let open = props.open.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Ok(rule) = value.parse::<RuleId>() {
                open.emit(rule)
            }
        })
    };
    html! {
        <div class="rule-ref" role="dialog" aria-label="Rule reference" data-testid="rule-ref" {onkeydown}>
            <header class="rule-ref-head">
                <code class="rule">{props.rule.as_str()}</code>
                <h2 data-testid={format!("rule-ref-{}", props.rule)}>{doc.title}</h2>
                <button type="button" class="notice-close" aria-label="Close the rule reference" data-testid="rule-ref-close"
                    ref={close_button} onclick={close}>{"×"}</button>
            </header>
            <h3>{"What it checks"}</h3>
            <p>{doc.checks}</p>
            <h3>{"Why Azure behaves so"}</h3>
            <p>{doc.why}</p>
            <h3>{"Source"}</h3>
            <p><a href={doc.source} target="_blank" rel="noopener noreferrer">{doc.source}</a></p>
            <label class="small">{"Another rule: "}
                <select onchange={pick} aria-label="Open another rule">
                    { for RuleId::ALL.iter().map(|it| html! {
                        <option value={it.as_str()} selected={*it == props.rule}>{format!("{} — {}", it.as_str(), it.doc().title)}</option>
                    }) }
                </select>
            </label>
        </div>
    }
}
