// Drives ODK's own form engine (@getodk/xforms-engine) for tests/test_odk_differential.py.
// Reads JSON from stdin: {"xform": "<h:html…>", "steps": [{"set": "/data/q", "value": "…"} |
// {"add": "/data/rep"}]} and writes JSON: one snapshot of every leaf node before the first step
// and after each step: {reference: [relevant, required, constraintValid, value]}.
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';

// The engine runs in a DOM (tested by ODK with jsdom) and its bundled tree-sitter loader looks for
// CommonJS globals to find its .wasm file next to the bundle.
const require = createRequire(import.meta.url);
const engine = require.resolve('@getodk/xforms-engine');
globalThis.__dirname = dirname(engine);
globalThis.require = require;
const { window } = new JSDOM('');
for (const name of ['DOMParser', 'XMLSerializer', 'Node', 'Element', 'Document', 'XPathResult', 'document']) {
	if (globalThis[name] === undefined) globalThis[name] = window[name];
}
const { createInstance } = await import('@getodk/xforms-engine');

const read = async () => {
	const chunks = [];
	for await (const chunk of process.stdin) chunks.push(chunk);
	return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

const walk = (node, visit) => {
	visit(node);
	for (const child of node.currentState.children ?? []) walk(child, visit);
};

const LEAVES = new Set(['model-value', 'note', 'select', 'input', 'trigger', 'range', 'rank', 'upload']);

const snapshot = (root) => {
	const out = {};
	walk(root, (node) => {
		const state = node.currentState;
		if (LEAVES.has(node.nodeType)) {
			out[state.reference] = [
				state.relevant,
				state.required,
				node.validationState.constraint.valid,
				state.instanceValue,
			];
		} else if (node.nodeType.startsWith('repeat-range')) {
			out[state.reference + '#count'] = [true, false, true, String(state.children.length)];
		}
	});
	return out;
};

const exists = (root, reference) => {
	let found = false;
	walk(root, (node) => {
		found ||= node.currentState.reference === reference;
	});
	return found;
};

const find = (root, reference) => {
	let found = null;
	walk(root, (node) => {
		if (found === null && node.currentState.reference === reference) found = node;
	});
	if (found === null) throw new Error(`no node ${reference}`);
	return found;
};

const main = async () => {
	const { xform, steps } = await read();
	const instance = await createInstance(xform);
	const root = instance.root;
	const snapshots = [snapshot(root)];
	for (const step of steps) {
		const missing = () => {
			const shot = snapshot(root);
			shot[(step.add ?? step.set) + '#missing'] = [false, false, false, ''];
			snapshots.push(shot);
		};
		if (!exists(root, step.add ?? step.set)) {
			missing();
			continue;
		}
		if (step.add !== undefined) {
			const range = find(root, step.add);
			range.addInstances();
		} else {
			const node = find(root, step.set);
			if (node.nodeType === 'select') {
				node.selectValues(step.value === '' ? [] : step.value.split(' '));
			} else {
				node.setValue(step.value);
			}
		}
		snapshots.push(snapshot(root));
	}
	process.stdout.write(JSON.stringify(snapshots));
};

main().catch((error) => {
	process.stderr.write(String(error?.stack ?? error) + '\n');
	process.exit(1);
});
