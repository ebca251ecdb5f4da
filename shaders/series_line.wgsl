// Every series' line in one instanced draw: instance i is the capsule from point i to point
// i + 1 of the points buffer (all series, one after another), as a screen-space quad whose
// fragments measure their distance to the segment. A segment whose ends belong to two
// series, or that touches a gap, is degenerate. Points are written per layout; the playhead
// only moves `frame.time`.
//
// vs_main draws every series in its own style (a group's members thin, in their family's
// colour); vs_emphasis draws the ranges of the highlighted members again, wider and bright,
// on top (render/renderer.py issues those draws per frame, from the heads).

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
    @location(0) pixel: vec2<f32>,
    @location(1) @interpolate(flat) a: vec2<f32>,
    @location(2) @interpolate(flat) b: vec2<f32>,
    @location(3) @interpolate(flat) arc_start: f32,
    @location(4) @interpolate(flat) series: u32,
    @location(5) @interpolate(flat) color: vec4<f32>,
    @location(6) @interpolate(flat) width: f32,
};

fn point_pixel(p: Point) -> vec2<f32> {
    let map = styles[p.series].to_pixel;
    return vec2<f32>(map.x + p.t * map.y, map.z + p.v * map.w);
}

fn segment(vertex: u32, index: u32, width: f32) -> VertexOutput {
    var out: VertexOutput;
    let p0 = points[index];
    let p1 = points[index + 1u];
    let a = point_pixel(p0);
    let b = point_pixel(p1);
    let skip = p0.v >= GAP_VALUE || p1.v >= GAP_VALUE || p0.series != p1.series;

    let delta = b - a;
    let length_px = length(delta);
    var along = vec2<f32>(1.0, 0.0);
    if (length_px > 1.0e-4) {
        along = delta / length_px;
    }
    let across = vec2<f32>(-along.y, along.x);
    let extent = width * 0.5 + AA_PX;
    // Corners of the quad: 0..3 as a triangle strip.
    let end = select(a - along * extent, b + along * extent, (vertex & 1u) == 1u);
    let side = select(-1.0, 1.0, (vertex & 2u) == 2u);
    var pixel = end + across * extent * side;
    if (skip) {
        pixel = a;  // degenerate: nothing drawn across a gap or between two series
    }
    out.position = to_clip(pixel);
    out.pixel = pixel;
    out.a = a;
    out.b = b;
    out.arc_start = p0.arc;
    out.series = p0.series;
    out.width = width;
    return out;
}

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32, @builtin(instance_index) index: u32) -> VertexOutput {
    let style = styles[points[index].series];
    var out = segment(vertex, index, style.width);
    out.color = style.color;
    return out;
}

@vertex
fn vs_emphasis(@builtin(vertex_index) vertex: u32, @builtin(instance_index) index: u32) -> VertexOutput {
    let style = styles[points[index].series];
    var out = segment(vertex, index, style.emphasis_width);
    out.color = style.emphasis_color;
    return out;
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    let style = styles[in.series];
    let ab = in.b - in.a;
    let len2 = max(dot(ab, ab), 1.0e-8);
    let h = clamp(dot(in.pixel - in.a, ab) / len2, 0.0, 1.0);
    let distance = length(in.pixel - in.a - ab * h);
    let coverage = clamp(in.width * 0.5 + 0.5 * AA_PX - distance + 0.5, 0.0, 1.0);
    // Each series stays inside its pane (also where an explicit axis range cuts it off).
    let outside = in.pixel.y < style.clip.x || in.pixel.y > style.clip.y;
    if (coverage <= 0.0 || outside) {
        discard;
    }
    // The style tests (dashed? ghost hidden?) are folded into per-fragment conditions with
    // the non-short-circuit `&`: a branch on uniforms alone leaks on lavapipe (see output()
    // in common.wgsl). For solid lines (dash_on = 0) the gap test is NaN or false and
    // masked off anyway.
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
    let color = select(in.color, style.ghost_color, future);
    return output(vec4<f32>(color.rgb, color.a * coverage));
}
