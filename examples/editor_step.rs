//! Where one edit's time goes on the enterprise estate, natively: the command (with
//! validation), the analysis, and the layout with and without frozen positions.
//! `cargo run --profile bench --example editor_step`

use bastion_sim::edit::{Command, Editor, Key};
use bastion_sim::engine::analyze;
use bastion_sim::model::{DesignFile, Layout};
use bastion_sim::scenarios::synthetic::{generate, EstateParams};
use bastion_sim::view::{gesture, layout_with};
use std::time::Instant;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let design = generate(&EstateParams::enterprise());
    let mut editor = Editor::new(DesignFile { design, layout: Layout::default() });
    let t = Instant::now();
    let scene = layout_with(&editor.file.design, &editor.file.layout.positions);
    println!("layout, automatic: {:.1} ms", ms(t));
    let link = editor.file.design.peerings[0].clone();
    let t = Instant::now();
    editor.apply(&Command::Delete { keys: vec![Key::PeeringLink { from: link.from, to: link.to }] }).unwrap();
    println!("apply Delete (plan, validate): {:.1} ms", ms(t));
    let t = Instant::now();
    let copy = editor.file.design.clone();
    println!("clone design: {:.1} ms, equal {}", ms(t), copy == editor.file.design);
    let t = Instant::now();
    let _ = analyze(&editor.file.design);
    println!("analyze: {:.1} ms", ms(t));
    let moved = vec![bastion_sim::view::Selection::Vnet(editor.file.design.vnets[0].name.clone())];
    let command = gesture::move_command(&scene, &editor.file.layout.positions, &moved, 10.0, 10.0).unwrap();
    let t = Instant::now();
    editor.apply(&command).unwrap();
    println!("apply first Move (freezes every box): {:.1} ms", ms(t));
    let t = Instant::now();
    let _ = layout_with(&editor.file.design, &editor.file.layout.positions);
    println!("layout, every box placed: {:.1} ms", ms(t));
}
