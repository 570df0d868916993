//! The 193 Member States of the United Nations and the two observer States.
// Placeholder with the agreed API until the data lands.

pub struct MemberState {
    pub name: &'static str,
    pub aliases: Vec<&'static str>,
    pub observer: bool,
}

pub fn member_states() -> &'static [MemberState] {
    &[]
}
