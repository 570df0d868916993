#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gavel_fuzz::meeting_file(data));
