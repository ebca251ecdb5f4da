// Every histogram's heatmap in one instanced draw: instance i is a quad over heatmap i's
// pane, and each fragment looks its cell up: the pixel column's cells (a colour per bucket,
// packed RGBA8, written per layout by render/heatmap_buffers.py) and the pixel row's bucket
// (-1: none; GAP_FLAG added: the row is the line between two buckets, drawn darker). A cell without a count is transparent, so the
// pane's grid shows through. After the playhead a cell is mixed toward the background as
// the series' lines are (frame.ghost_alpha 0 hides it); the cut is the fragment's time
// against the playhead, so it falls where the lines' does.

// A line between two buckets: its row of cells this much of the way from the background.
const HEAT_GAP_SHARE: f32 = 0.45;

@group(2) @binding(0) var<storage, read> heatmaps: array<Heatmap>;
@group(2) @binding(1) var<storage, read> cells: array<u32>;
@group(2) @binding(2) var<storage, read> rows: array<i32>;

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
    @location(0) @interpolate(flat) heatmap: u32,
};

@vertex
fn vs_main(@builtin(vertex_index) index: u32, @builtin(instance_index) heatmap: u32) -> VertexOutput {
    let rect = heatmaps[heatmap].rect;
    let corner = vec2<f32>(f32(index & 1u), f32((index >> 1u) & 1u));
    var out: VertexOutput;
    out.position = to_clip(mix(rect.xy, rect.zw, corner));
    out.heatmap = heatmap;
    return out;
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    let map = heatmaps[in.heatmap];
    let column = min(u32(max(in.position.x - map.rect.x, 0.0)), map.columns - 1u);
    let height = u32(map.rect.w - map.rect.y);
    let row = min(u32(max(in.position.y - map.rect.y, 0.0)), height - 1u);
    let found = rows[map.first_row + row];
    let bucket = found & (HEAT_GAP_FLAG - 1);
    let cell = cells[map.first_cell + column * map.buckets + u32(max(bucket, 0))];
    let packed = unpack4x8unorm(cell);
    let gap = select(1.0, HEAT_GAP_SHARE, (found & HEAT_GAP_FLAG) != 0);
    let color = vec4<f32>(mix(map.ghost.rgb, packed.rgb, gap), packed.a);
    let future = x_to_time(in.position.x) > frame.time;
    // Per-fragment conditions only, combined without short-circuit (see common.wgsl).
    if ((found < 0) | (color.a <= 0.0) | (future & (frame.ghost_alpha <= 0.0))) {
        discard;
    }
    let ghost = mix(map.ghost.rgb, color.rgb, map.ghost.a);
    return output(vec4<f32>(select(color.rgb, ghost, future), 1.0));
}
