//! Read-only copies of an editor's design for the page's components, made without copying
//! the design on every edit: an estate's design (20,000 VMs) takes ~10 ms to clone and as
//! long to free in wasm, per edit.
//!
//! Two copies alternate. After a step, the copy the page stopped reading at the previous
//! step is brought up to date by replaying the ops of the last two steps (a few resources)
//! and becomes the new current copy; a copy still read elsewhere is never touched (a fresh
//! clone is made instead), so a reader never sees its design change under it.

use super::ops::{apply_ops, Op};
use crate::model::{Design, DesignFile, Layout};
use std::rc::Rc;

#[derive(Clone, Debug)]
pub struct Snapshots {
    current: Rc<Design>,
    /// The copy before `current`, and the ops that turn it into `current`.
    spare: Option<(Rc<Design>, Vec<Op>)>,
}

impl Snapshots {
    pub fn new(design: Design) -> Snapshots {
        Snapshots { current: Rc::new(design), spare: None }
    }

    pub fn current(&self) -> Rc<Design> {
        self.current.clone()
    }

    /// Makes the second copy now, if there is none yet, so that the first step replays its
    /// ops instead of cloning the design while the person waits (the page calls it when the
    /// browser is idle after opening a design).
    pub fn prepare_spare(&mut self) {
        if self.spare.is_none() {
            self.spare = Some((Rc::new((*self.current).clone()), Vec::new()));
        }
    }

    /// The copy after a step that applied `ops` (in order) and left the editor's design
    /// equal to `now`.
    pub fn advance(&mut self, ops: &[Op], now: &Design) -> Rc<Design> {
        // Positions live in the layout, not the design.
        let ops: Vec<Op> = ops.iter().filter(|op| !matches!(op, Op::SetPosition { .. })).cloned().collect();
        let replayed = self.spare.take().and_then(|(mut spare, mut pending)| {
            // Only a copy nobody else holds may change.
            let design = Rc::get_mut(&mut spare)?;
            pending.extend(ops.iter().cloned());
            let mut file = DesignFile { design: std::mem::take(design), layout: Layout::default() };
            let done = apply_ops(&mut file, pending).is_ok();
            *design = file.design;
            done.then_some(spare)
        });
        let next = replayed.unwrap_or_else(|| Rc::new(now.clone()));
        debug_assert!(*next == *now, "a replayed snapshot differs from the editor's design");
        let previous = std::mem::replace(&mut self.current, next.clone());
        self.spare = Some((previous, ops));
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Command, Editor, Key};
    use crate::model::Point;
    use crate::scenarios::synthetic::{generate, EstateParams};

    #[test]
    fn a_spare_prepared_ahead_serves_the_first_step_without_a_clone() {
        let design = generate(&EstateParams::small());
        let mut editor = Editor::new(DesignFile { design: design.clone(), layout: Layout::default() });
        let mut snapshots = Snapshots::new(design);
        let first = snapshots.current();
        snapshots.prepare_spare();
        let spare = Rc::as_ptr(&snapshots.spare.as_ref().expect("a spare copy").0);
        // Preparing again keeps the copy there is.
        snapshots.prepare_spare();
        assert_eq!(Rc::as_ptr(&snapshots.spare.as_ref().unwrap().0), spare);
        let link = editor.file.design.peerings[0].clone();
        editor.delete(&[Key::PeeringLink { from: link.from, to: link.to }]).unwrap();
        let next = snapshots.advance(editor.last_ops(), &editor.file.design);
        assert_eq!(Rc::as_ptr(&next), spare, "the prepared copy was brought up to date, not a new clone");
        assert_eq!(*next, editor.file.design);
        assert_ne!(*first, *next, "the copy the page still reads is untouched");
    }

    #[test]
    fn snapshots_follow_the_editor_through_edits_undo_and_redo_reusing_free_copies() {
        let design = generate(&EstateParams::small());
        let mut editor = Editor::new(DesignFile { design: design.clone(), layout: Layout::default() });
        let mut snapshots = Snapshots::new(design);
        let mut held = Vec::new();
        let vnets: Vec<String> = editor.file.design.vnets.iter().take(6).map(|it| it.name.clone()).collect();
        let links: Vec<_> = editor.file.design.peerings.iter().take(3).cloned().collect();
        let mut steps = 0;
        let mut reused = 0;
        let mut check = |editor: &Editor, snapshots: &mut Snapshots, held: &mut Vec<Rc<Design>>, hold: bool| {
            let before: Vec<*const Design> = [Some(snapshots.current())]
                .into_iter()
                .chain(snapshots.spare.as_ref().map(|it| Some(it.0.clone())))
                .flatten()
                .map(|it| Rc::as_ptr(&it))
                .collect();
            let next = snapshots.advance(editor.last_ops(), &editor.file.design);
            assert_eq!(*next, editor.file.design);
            if before.contains(&Rc::as_ptr(&next)) {
                reused += 1;
            }
            if hold {
                held.push(next);
            }
        };
        for link in &links {
            editor.delete(&[Key::PeeringLink { from: link.from.clone(), to: link.to.clone() }]).unwrap();
            check(&editor, &mut snapshots, &mut held, false);
            steps += 1;
        }
        editor
            .apply(&Command::Move { positions: vec![(format!("vnet:{}", vnets[0]), Point { x: 3.0, y: 4.0 })] })
            .unwrap();
        check(&editor, &mut snapshots, &mut held, false);
        editor.delete(&[Key::Vnet(vnets[1].clone())]).unwrap();
        // A copy a reader keeps is never changed afterwards.
        check(&editor, &mut snapshots, &mut held, true);
        let kept = (*held[0]).clone();
        for _ in 0..3 {
            assert!(editor.undo());
            check(&editor, &mut snapshots, &mut held, false);
        }
        assert!(editor.redo());
        check(&editor, &mut snapshots, &mut held, false);
        editor.delete(&[Key::Vnet(vnets[2].clone())]).unwrap();
        check(&editor, &mut snapshots, &mut held, false);
        steps += 6;
        assert_eq!(*held[0], kept, "a held copy stays as it was");
        assert!(reused >= steps - 3, "free copies are reused ({reused} of {})", steps + 1);
    }
}
