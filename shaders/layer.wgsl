// The data layer (every series' envelope and line) drawn once per layout into two textures
// on a transparent background: as the past (all in the series' colours) and as the future
// (all ghosted). A frame composites them over the grid: each pixel from the past or the
// future by the same test the series shaders make (its time against the playhead), so the
// cut is where a direct draw puts it. The textures hold premultiplied colour (drawn with
// "over" blending from transparent), so src + dst·(1 − src.a) here gives the pixels a direct
// draw onto the grid gives (render/layer_cache.py).

@group(2) @binding(0) var past_layer: texture_2d<f32>;
@group(2) @binding(1) var future_layer: texture_2d<f32>;

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> VertexOutput {
    let rect = chart.chart_rect;
    let corner = vec2<f32>(f32(index & 1u), f32((index >> 1u) & 1u));
    var out: VertexOutput;
    out.position = to_clip(mix(rect.xy, rect.zw, corner));
    return out;
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    let p = vec2<i32>(in.position.xy);
    let future = x_to_time(in.position.x) > frame.time;
    return select(textureLoad(past_layer, p, 0), textureLoad(future_layer, p, 0), future);
}
