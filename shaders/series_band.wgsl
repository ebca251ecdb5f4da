// The min-max envelope of dense series (more samples than pixel columns can show): a
// translucent band in the series' colour (a group: one band for all its members, from the
// lowest to the highest member), one rectangle per pixel column from its lowest to its
// highest value (render/columns.py widens each to reach the previous column's last
// sample, as the line through every sample would), all series in one instanced draw. The
// line through the columns' means is series_line.wgsl's, drawn over it. A single spike is
// the high of its own column, so it stays visible however many samples surround it.

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
    @location(0) pixel: vec2<f32>,
    @location(1) @interpolate(flat) series: u32,
};

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32, @builtin(instance_index) index: u32) -> VertexOutput {
    var out: VertexOutput;
    let column = band[index];
    let map = styles[column.series].to_pixel;
    let x = map.x + column.t * map.y;
    let right = (vertex & 1u) == 1u;
    let top = (vertex & 2u) == 2u;
    // Columns are one physical pixel wide (one per pixel column of the chart); half a
    // pixel more at the top and bottom, so a flat stretch still shows a hairline band.
    let y = map.z + select(column.low, column.high, top) * map.w + select(0.5, -0.5, top);
    var pixel = vec2<f32>(x + select(-0.5, 0.5, right), y);
    if (column.high >= GAP_VALUE) {
        pixel = vec2<f32>(x, map.z);  // a column without data: degenerate
    }
    out.position = to_clip(pixel);
    out.pixel = pixel;
    out.series = column.series;
    return out;
}

// A baseline's worse band (render/baseline_geometry.py): records i and i + 1 of one
// baseline are the two sides of a trapezoid from its baseline's line to its series' line,
// [low, high] at each (zero high where the series is not worse), so the band follows both
// lines exactly with a few wide triangles (a rectangle per pixel column costs a software
// rasteriser far more). A pair of two baselines, or touching a gap, is degenerate.
@vertex
fn vs_worse(@builtin(vertex_index) vertex: u32, @builtin(instance_index) index: u32) -> VertexOutput {
    var out: VertexOutput;
    let a = band[index];
    let b = band[index + 1u];
    let map = styles[a.series].to_pixel;
    let right = (vertex & 1u) == 1u;
    let top = (vertex & 2u) == 2u;
    let t = select(a.t, b.t, right);
    let value = select(select(a.low, b.low, right), select(a.high, b.high, right), top);
    var pixel = vec2<f32>(map.x + t * map.y, map.z + value * map.w);
    let skip = a.series != b.series || a.high >= GAP_VALUE || b.high >= GAP_VALUE;
    if (skip) {
        pixel = vec2<f32>(map.x, map.z);
    }
    out.position = to_clip(pixel);
    out.pixel = pixel;
    out.series = a.series;
    return out;
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    let style = styles[in.series];
    let outside = in.pixel.y < style.clip.x || in.pixel.y > style.clip.y;
    let t = x_to_time(in.pixel.x);
    let future = t > frame.time;
    if (outside | (future & (frame.ghost_alpha <= 0.0))) {
        discard;
    }
    return output(select(style.band_color, style.band_ghost, future));
}
