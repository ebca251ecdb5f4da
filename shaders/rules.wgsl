// Axis-aligned lines: axes, tick marks, threshold lines (dashed), the playhead and the
// hover crosshair (whose x comes from the frame uniform), bars (the budget-burn lane) and
// veils that start at the playhead (the burn lane after it, faded as ghosted data is). A
// RULE_CUT rule ends at the playhead (live view: a span still in progress, burn bars).

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
    @location(0) along: f32,            // px along the line, for dashes
    @location(1) color: vec4<f32>,
    @location(2) @interpolate(flat) dash: vec2<f32>,
    @location(3) @interpolate(flat) cut: u32,
};

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32, rule: RuleIn) -> VertexOutput {
    var out: VertexOutput;
    var p0 = rule.p0;
    var p1 = rule.p1;
    var visible = true;
    if ((rule.flags & RULE_PLAYHEAD) != 0u) {
        p0.x = frame.playhead_x;
        p1.x = frame.playhead_x;
    }
    if ((rule.flags & RULE_HOVER) != 0u) {
        visible = frame.hover_x >= 0.0;
        p0.x = frame.hover_x;
        p1.x = frame.hover_x;
    }
    // A veil runs from the playhead (held within p0.x..p1.x) to p1.x, as opaque as data
    // after the playhead is faint. Per instance: select, no branch on the uniform.
    let after = (rule.flags & RULE_AFTER_PLAYHEAD) != 0u;
    p0.x = select(p0.x, clamp(frame.playhead_x, p0.x, p1.x), after);
    let alpha = rule.color.a * select(1.0, 1.0 - frame.ghost_alpha, after);
    var lo = min(p0, p1);
    var hi = max(p0, p1);
    let vertical = abs(p1.x - p0.x) < abs(p1.y - p0.y);
    // A line of `width` px centred on the (pixel-centre) coordinate.
    let half = rule.width * 0.5;
    if (vertical) {
        lo.x -= half; hi.x += half;
    } else {
        lo.y -= half; hi.y += half;
    }
    let corner = vec2<f32>(select(0.0, 1.0, (vertex & 1u) == 1u), select(0.0, 1.0, (vertex & 2u) == 2u));
    var pixel = mix(lo, hi, corner);
    if (!visible) {
        pixel = lo;
    }
    out.position = to_clip(pixel);
    out.along = select(pixel.x - lo.x, pixel.y - lo.y, vertical);
    out.color = vec4<f32>(rule.color.rgb, alpha);
    out.dash = rule.dash;
    out.cut = rule.flags & RULE_CUT;
    return out;
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    // A per-instance flag tested per fragment (never a branch on uniforms alone).
    if ((in.cut != 0u) & (in.position.x > frame.playhead_x)) {
        discard;
    }
    if (in.dash.x > 0.0) {
        let period = in.dash.x + in.dash.y;
        if (in.along - period * floor(in.along / period) > in.dash.x) {
            discard;
        }
    }
    return output(in.color);
}
