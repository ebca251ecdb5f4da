// Point markers drawn as signed-distance shapes: series sample markers (so series differ by
// shape as well as colour), the moving "head" of each series at the playhead, the event
// markers on the time axis (shape and colour by event kind) and the milestone lane's glyphs
// (the data's hollow: a ring as wide as the instance's `ring`, per instance).

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
    @location(0) local: vec2<f32>,      // px from the centre
    @location(1) @interpolate(flat) radius: f32,
    @location(2) @interpolate(flat) shape: u32,
    @location(3) color: vec4<f32>,
    @location(4) @interpolate(flat) ring: f32,
};

@vertex
fn vs_main(@builtin(vertex_index) vertex: u32, marker: MarkerIn) -> VertexOutput {
    var out: VertexOutput;
    var center = marker.position;
    var strength = replay_strength(marker.time);
    if (marker.head != NO_HEAD) {
        let head = heads[u32(marker.head)];
        center = head.position;
        strength = head.visible;
    }
    let extent = marker.radius + 2.0;
    let corner = vec2<f32>(select(-1.0, 1.0, (vertex & 1u) == 1u), select(-1.0, 1.0, (vertex & 2u) == 2u));
    var pixel = center + corner * extent;
    if (strength <= 0.0) {
        pixel = center;  // hidden: degenerate quad
    }
    out.position = to_clip(pixel);
    out.local = corner * extent;
    out.radius = marker.radius;
    out.shape = marker.shape;
    out.color = vec4<f32>(marker.color.rgb, marker.color.a * strength);
    out.ring = marker.ring;
    return out;
}

fn sd_shape(p: vec2<f32>, r: f32, shape: u32) -> f32 {
    switch shape {
        case SHAPE_SQUARE: {
            let q = abs(p) - vec2<f32>(r * EXTENT_SQUARE);
            return length(max(q, vec2<f32>(0.0))) + min(max(q.x, q.y), 0.0);
        }
        case SHAPE_DIAMOND: {
            return (abs(p.x) + abs(p.y) - r * EXTENT_DIAMOND) * 0.7071;
        }
        case SHAPE_TRIANGLE, SHAPE_TRIANGLE_DOWN: {  // equilateral, half-side s
            var q = p;
            if (shape == SHAPE_TRIANGLE_DOWN) {
                q.y = -q.y;
            }
            let k = sqrt(3.0);
            let s = r * EXTENT_TRIANGLE;
            q.x = abs(q.x) - s;
            q.y = -q.y + s / k;
            if (q.x + k * q.y > 0.0) {
                q = vec2<f32>(q.x - k * q.y, -k * q.x - q.y) / 2.0;
            }
            q.x -= clamp(q.x, -2.0 * s, 0.0);
            return -length(q) * sign(q.y);
        }
        case SHAPE_HEXAGON: {  // r * EXTENT_HEXAGON is the apothem
            let k = vec3<f32>(-0.866025404, 0.5, 0.577350269);
            var q = abs(p);
            q -= 2.0 * min(dot(k.xy, q), 0.0) * k.xy;
            let a = r * EXTENT_HEXAGON;
            q -= vec2<f32>(clamp(q.x, -k.z * a, k.z * a), a);
            return length(q) * sign(q.y);
        }
        default: {  // circle
            return length(p) - r;
        }
    }
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    let solid = sd_shape(in.local, in.radius, in.shape);
    // Hollow: only the band `ring` px inside the outline (a per-instance value, so the
    // select is per fragment, not on a uniform).
    let d = select(solid, abs(solid + in.ring * 0.5) - in.ring * 0.5, in.ring > 0.0);
    let fill = clamp(0.5 - d, 0.0, 1.0);
    // A dark rim keeps markers readable where they cross lines of the same colour.
    let rim = clamp(0.5 - (d - MARKER_RIM_PX), 0.0, 1.0) - fill;
    var color = in.color.rgb;
    let alpha = in.color.a * fill;
    let rim_alpha = rim * MARKER_RIM_ALPHA * in.color.a;
    let total = alpha + rim_alpha * (1.0 - alpha);
    if (total <= 0.001) {
        discard;
    }
    color = color * alpha / total + chart.background.rgb * rim_alpha * (1.0 - alpha) / total;
    return output(vec4<f32>(color, total));
}
