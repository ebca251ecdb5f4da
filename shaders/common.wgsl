// Shared bindings and functions of every chart shader (see replay_viewer/render/shaders.py).
// The structs and constants come before this file, generated from render/uniforms.py.

@group(0) @binding(0) var<uniform> chart: Layout;
@group(0) @binding(1) var<uniform> frame: Frame;

// The series group: per-series styles (per layout) and heads (per frame), and the drawn
// points and envelope columns of every series (per layout). Shaders use what they need.
@group(1) @binding(0) var<storage, read> styles: array<SeriesStyle>;
@group(1) @binding(1) var<storage, read> heads: array<Head>;
@group(1) @binding(2) var<storage, read> points: array<Point>;
@group(1) @binding(3) var<storage, read> band: array<BandColumn>;

// Anti-aliasing feather of lines and shapes, px.
const AA_PX: f32 = 1.0;

// Pixel position to clip space.
fn to_clip(p: vec2<f32>) -> vec4<f32> {
    let ndc = p / chart.frame_size * vec2<f32>(2.0, -2.0) + vec2<f32>(-1.0, 1.0);
    return vec4<f32>(ndc, 0.0, 1.0);
}

fn time_to_x(t: f32) -> f32 {
    return chart.time_map.y + t * chart.time_map.x;
}

fn x_to_time(x: f32) -> f32 {
    return (x - chart.time_map.y) / chart.time_map.x;
}

fn srgb_to_linear(c: vec3<f32>) -> vec3<f32> {
    let low = c / 12.92;
    let high = pow((c + 0.055) / 1.055, vec3<f32>(2.4));
    return select(high, low, c <= vec3<f32>(0.04045));
}

// All colours are authored in sRGB and blended in sRGB space (like a browser canvas);
// on an sRGB target the hardware encodes, so hand it linear values.
// No `if` on uniform values alone, in this file or any chart shader: Mesa 22.3's lavapipe
// (Debian 12's Vulkan software driver) "inlines uniforms" for such branches, compiling a
// specialised fragment shader on every draw and never freeing it (~330 KiB a draw, see
// docs/reliability.md). Compute both sides and select(), or fold the uniform test into a
// per-fragment condition; tests/test_soak.py catches a regression.
fn output(c: vec4<f32>) -> vec4<f32> {
    let linear = vec4<f32>(srgb_to_linear(c.rgb), c.a);
    return select(c, linear, (chart.flags & FLAG_SRGB) != 0u);
}

// How much a playhead-relative time shows: 1 up to the playhead, ghost_alpha after it.
fn replay_strength(t: f32) -> f32 {
    return select(frame.ghost_alpha, 1.0, t <= frame.time);
}
