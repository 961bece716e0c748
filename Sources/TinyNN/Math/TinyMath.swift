/// Elementary functions for `Float` written in pure Swift, for targets without libm.
///
/// Every function uses only IEEE 754 basic operations (`+ − × ÷`), fused
/// multiply-add written out as `addingProduct`, integer operations on bit
/// patterns, and exactly representable constants. Each of those is correctly
/// rounded by definition, so the host, Cortex-M4F (hardware float), Cortex-M0
/// (soft float) and RISC-V builds return the same bits for every input. NaN
/// results are always the canonical quiet NaN (`Float.nan`), because NaN
/// payloads are the one thing targets disagree on (RISC-V canonicalises them).
public enum TinyMath {}
