// One series as anti-aliased line segments: instance i draws the capsule from sample i to
// sample i + 1, as a screen-space quad whose fragments measure their distance to the
// segment. Samples are uploaded once per incident; the playhead only moves `frame.time`.

struct SeriesStyle {
    color: vec4<f32>,
    width: f32,                 // px
    dash_on: f32,               // px; 0 = solid
    dash_off: f32,
    pad0: f32,
    ghost_color: vec4<f32>,     // the colour after the playhead, pre-mixed with the background
    to_pixel: vec4<f32>,        // x = .x + u_t * .y, y = .z + u_v * .w (per layout)
};

@group(1) @binding(0) var<uniform> style: SeriesStyle;
// (u_t, u_v): time and value normalised to 0..1 over the incident and the series' data
// range (in f64, once per incident), so values like 1e9 ± 100 keep their detail in f32.
@group(1) @binding(1) var<storage, read> samples: array<vec2<f32>>;
@group(1) @binding(2) var<storage, read> arc_length: array<f32>;     // px, per layout

const GAP_VALUE: f32 = 1.0e38;  // value of a sample that marks a gap in the data

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
    @location(0) pixel: vec2<f32>,
    @location(1) @interpolate(flat) a: vec2<f32>,
    @location(2) @interpolate(flat) b: vec2<f32>,
    @location(3) @interpolate(flat) arc_start: f32,
};

fn sample_pixel(index: u32) -> vec2<f32> {
    let s = samples[index];
    let map = style.to_pixel;
    return vec2<f32>(map.x + s.x * map.y, map.z + s.y * map.w);
}

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32, @builtin(instance_index) segment: u32) -> VertexOutput {
    var out: VertexOutput;
    let a = sample_pixel(segment);
    let b = sample_pixel(segment + 1u);
    let gap = samples[segment].y >= GAP_VALUE || samples[segment + 1u].y >= GAP_VALUE;

    let delta = b - a;
    let length_px = length(delta);
    var along = vec2<f32>(1.0, 0.0);
    if (length_px > 1.0e-4) {
        along = delta / length_px;
    }
    let across = vec2<f32>(-along.y, along.x);
    let extent = style.width * 0.5 + AA_PX;
    // Corners of the quad: 0..3 as a triangle strip.
    let end = select(a - along * extent, b + along * extent, (vertex & 1u) == 1u);
    let side = select(-1.0, 1.0, (vertex & 2u) == 2u);
    var pixel = end + across * extent * side;
    if (gap) {
        pixel = a;  // degenerate: nothing drawn across a gap
    }
    out.position = to_clip(pixel);
    out.pixel = pixel;
    out.a = a;
    out.b = b;
    out.arc_start = arc_length[segment];
    return out;
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    let ab = in.b - in.a;
    let len2 = max(dot(ab, ab), 1.0e-8);
    let h = clamp(dot(in.pixel - in.a, ab) / len2, 0.0, 1.0);
    let distance = length(in.pixel - in.a - ab * h);
    let coverage = clamp(style.width * 0.5 + 0.5 * AA_PX - distance + 0.5, 0.0, 1.0);
    if (coverage <= 0.0) {
        discard;
    }
    // The uniform tests (dashed? ghost hidden?) are folded into per-fragment conditions
    // with the non-short-circuit `&`: a branch on uniforms alone leaks on lavapipe (see
    // output() in common.wgsl). For solid lines (dash_on = 0) the gap test is NaN or
    // false and masked off anyway.
    let arc = in.arc_start + h * sqrt(len2);
    let period = style.dash_on + style.dash_off;
    let in_gap = arc - period * floor(arc / period) > style.dash_on;
    if (in_gap & (style.dash_on > 0.0)) {
        discard;
    }
    // Replay: the fragment's time comes from its x, so the cut is exactly at the playhead.
    let t = x_to_time(in.pixel.x);
    let future = t > frame.time;
    if (future & (frame.ghost_alpha <= 0.0)) {
        discard;
    }
    let color = select(style.color, style.ghost_color, future);
    return output(vec4<f32>(color.rgb, color.a * coverage));
}
