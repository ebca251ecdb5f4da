// The background and the fine grid, lit by a soft spotlight around the playhead (or the
// pointer). One full-screen triangle; everything is computed per pixel.

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> VertexOutput {
    // A triangle that covers the whole target.
    let uv = vec2<f32>(f32((index << 1u) & 2u), f32(index & 2u));
    var out: VertexOutput;
    out.position = vec4<f32>(uv * 2.0 - 1.0, 0.0, 1.0);
    return out;
}

// The spotlight's box: the pixels grid.wgsl's spotlight term can light (|dx| < radius,
// |dy| < 1.6 radius, plus 2 px), as a quad. A 1× frame copies the unlit grid drawn once per
// layout and redraws only this (render/grid_cache.py); outside it the spot term is exactly 0.
@vertex
fn vs_spot(@builtin(vertex_index) index: u32) -> VertexOutput {
    let radius = chart.spotlight.x;
    let half = vec2<f32>(radius + 2.0, radius * 1.6 + 2.0);
    let corner = vec2<f32>(f32(index & 1u), f32((index >> 1u) & 1u)) * 2.0 - 1.0;
    let p = frame.spot_center + corner * half;
    var out: VertexOutput;
    out.position = vec4<f32>(p.x / chart.frame_size.x * 2.0 - 1.0,
                             1.0 - p.y / chart.frame_size.y * 2.0, 0.0, 1.0);
    return out;
}

// Coverage of the grid line nearest to pixel column/row `p` (0 or 1: lines are 1 px wide
// and pixel-snapped with the same floor(origin + k * spacing) the layout uses for ticks).
// A grid denser than 2 px is not drawn; that test reads uniforms only, so it is a select()
// rather than an early return (uniform-only branches leak on lavapipe: see common.wgsl).
fn grid_line(p: f32, grid: vec4<f32>) -> vec2<f32> {
    let spacing = grid.y;
    let k = round((p - grid.x) / spacing);
    let line = floor(grid.x + k * spacing);
    let on = select(0.0, 1.0, floor(p) == line);
    let every = max(grid.z, 1.0);
    let major = select(0.0, 1.0, abs(k - every * round(k / every)) < 0.5);
    return select(vec2<f32>(0.0, 0.0), vec2<f32>(on, major), abs(spacing) >= 2.0);
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    let p = in.position.xy;
    let rect = chart.chart_rect;
    let radius = chart.spotlight.x;
    let falloff = chart.spotlight.y;
    let intensity = chart.spotlight.z;
    let ambient = chart.spotlight.w;

    // Spotlight: smooth radial falloff from the centre, elongated vertically so the whole
    // column under the playhead is lit.
    let d = (p - frame.spot_center) / vec2<f32>(radius, radius * 1.6);
    let spot = pow(clamp(1.0 - length(d), 0.0, 1.0), falloff);

    let inside = p.x >= rect.x && p.x < rect.z && p.y >= rect.y && p.y < rect.w;
    var color = chart.background.rgb;
    // The spotlight's tint of the background itself, strongest at the centre: a cool glow
    // on the dark theme, a faint cool shade on the light one (the palette's haze; its w
    // weighs it outside the chart, where the light theme leaves the page white).
    color += chart.haze.rgb * spot * intensity * select(chart.haze.w, 1.0, inside);

    if (inside) {
        let gx = grid_line(p.x, chart.grid_x);
        let gy = grid_line(p.y, chart.grid_y);
        let on = max(gx.x, gy.x);
        let major = max(gx.x * gx.y, gy.x * gy.y);
        let line_color = mix(chart.grid_minor, chart.grid_major, major);
        let light = ambient + intensity * spot;
        color = mix(color, line_color.rgb, on * clamp(line_color.a * light, 0.0, 1.0));
        // The chart's past is a touch lighter than its future (darker on the light theme).
        if (p.x <= frame.playhead_x) {
            color += chart.past_tint.rgb;
        }
    }
    return output(vec4<f32>(color, 1.0));
}
