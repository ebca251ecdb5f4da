// Shared declarations, prepended to every chart shader (see replay_viewer/render/shaders.py).
// The structs mirror the numpy dtypes in replay_viewer/render/uniforms.py: keep them in step.

// Written when the layout changes (load, resize, pixel ratio).
struct Layout {
    frame_size: vec2<f32>,      // physical pixels
    pixel_ratio: f32,
    flags: u32,                 // bit 0: target is *-srgb, so output linear colour
    chart_rect: vec4<f32>,      // x0, y0, x1, y1 (physical px)
    time_map: vec4<f32>,        // x = time_map.y + t * time_map.x; z, w: t_start, t_end
    grid_x: vec4<f32>,          // origin, spacing, major_every, 0
    grid_y: vec4<f32>,
    background: vec4<f32>,
    grid_minor: vec4<f32>,
    grid_major: vec4<f32>,
    spotlight: vec4<f32>,       // radius px, falloff exponent, intensity, ambient
};

// Written every frame: the only GPU write when the playhead moves.
struct Frame {
    time: f32,                  // playhead time, seconds
    playhead_x: f32,            // physical px
    ghost_alpha: f32,           // strength of data after the playhead; 0 hides it
    hover_x: f32,               // crosshair x, < 0 when the pointer is away
    spot_center: vec2<f32>,     // spotlight centre, physical px
    pad0: f32,
    pad1: f32,
    heads: array<vec4<f32>, 8>, // per series: x, y, visible (0/1), 0
};

@group(0) @binding(0) var<uniform> chart: Layout;
@group(0) @binding(1) var<uniform> frame: Frame;

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
    return select(c, linear, (chart.flags & 1u) != 0u);
}

// How much a playhead-relative time shows: 1 up to the playhead, ghost_alpha after it.
fn replay_strength(t: f32) -> f32 {
    return select(frame.ghost_alpha, 1.0, t <= frame.time);
}
