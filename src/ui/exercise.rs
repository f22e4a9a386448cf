//! The exercise panel over the canvas: the task, each goal ticked or not with what the design
//! does now, and the score with partial credit (`exercise-score`). The grading is the core's
//! (`scenarios::exercises::score`), of the settled (complete) analysis.

use super::Shared;
use crate::engine::Analysis;
use crate::model::Design;
use crate::scenarios::exercises::{self, Exercise};
use yew::prelude::*;

/// The exercise a design is worked on: the one it was opened as, else the one its name
/// says (an exported, imported or shared exercise keeps its grading).
pub fn exercise_of(scenario: &str, design: &Design) -> Option<&'static Exercise> {
    exercises::by_name(scenario).or_else(|| exercises::by_name(&design.name))
}

/// The room the panel takes from the canvas's left edge (its width in style.css, 340 px,
/// and its 14 px margin), which the view's fit leaves free.
pub const PANEL_WIDTH: f64 = 354.0;

#[derive(Properties, PartialEq)]
pub struct ExerciseProps {
    pub name: &'static str,
    pub design: Shared<Design>,
    pub analysis: Shared<Analysis>,
}

#[component]
pub fn ExercisePanel(props: &ExerciseProps) -> Html {
    let Some(exercise) = exercises::by_name(props.name) else { return html! {} };
    let open = use_state(|| true);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    // Graded once per settled analysis (the Connect goals build an index each).
    let score = use_memo((props.name, props.design.clone(), props.analysis.clone()), |(_, design, analysis)| {
        exercises::score(exercise, design, analysis)
    });
    let solved = score.earned == score.total;
    html! {
        <section class={classes!("exercise-panel", solved.then_some("solved"))} data-testid="exercise" aria-label="Exercise">
            <header class="exercise-head">
                <span class="exercise-title">{exercise.title}</span>
                <strong class="exercise-score" data-testid="exercise-score" aria-live="polite">{score.summary()}</strong>
                <button type="button" class="exercise-toggle" onclick={toggle} aria-expanded={(*open).to_string()}
                    title={if *open { "Hide the goals" } else { "Show the goals" }}>{ if *open { "▾" } else { "▸" } }</button>
            </header>
            if *open {
                <p class="exercise-brief">{exercise.brief}</p>
                <ol class="exercise-goals">
                    { for score.goals.iter().enumerate().map(|(i, goal)| {
                        let points = if goal.points == 1 { "1 pt".to_string() } else { format!("{} pts", goal.points) };
                        html! {
                            <li key={i} class={classes!(if goal.met { "met" } else { "unmet" })} data-testid={format!("exercise-goal-{i}")}
                                data-met={goal.met.to_string()}>
                                <span class="goal-mark" aria-label={if goal.met { "met" } else { "not met" }}>{ if goal.met { "✓" } else { "✗" } }</span>
                                <span class="goal-text">{goal.goal.clone()}<span class="goal-points">{points}</span></span>
                                <span class="goal-found" title={goal.found.clone()}>{goal.found.clone()}</span>
                            </li>
                        }
                    }) }
                </ol>
                if solved {
                    <p class="exercise-solved">{"Every goal is met. Well done."}</p>
                }
            }
        </section>
    }
}
