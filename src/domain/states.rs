//! The 193 Member States of the United Nations and the two observer States.
