import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ensureCpuBackend, MODEL_FORMAT, type IntentModelConfig } from './model.js';

/**
 * The model on disk, written and read with tfjs' in-memory IO handlers (there
 * is no tfjs-node file:// handler here): `model.json` (topology + weights
 * manifest, the standard tfjs layout), `weights.bin`, and `intent-config.json`
 * (features, labels, calibration). Loading validates every part and throws a
 * ModelFileError naming the problem; the classifier turns that into degraded
 * health.
 */
export const MODEL_FILES = { topology: 'model.json', weights: 'weights.bin', config: 'intent-config.json', metrics: 'metrics.json' } as const;

export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}

const IntentModelConfigSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  features: z.object({
    kind: z.literal('char-ngram-tfidf'),
    minN: z.number().int().min(1),
    maxN: z.number().int().min(1),
    vocabulary: z.array(z.string().min(1)).min(1),
    idf: z.array(z.number().finite()),
    glossary: z.array(z.tuple([z.string().min(1), z.string().min(1)])).optional(),
  }),
  labels: z.array(z.string().min(1)).min(2),
  temperature: z.number().positive(),
  oosThreshold: z.number().min(0).max(1),
  oosRatio: z.number().min(1).max(100).nullable(),
  unsureThreshold: z.number().min(0).max(1),
  lexicalWeight: z.number().min(0).max(1),
  seed: z.number().int(),
  contentHash: z.string(),
  intentScopeTerms: z.record(z.string(), z.array(z.string().min(1))).optional(),
  clauseScoring: z.boolean().optional(),
  ambiguousFragments: z.array(z.object({ text: z.string().min(1), candidates: z.array(z.string().min(1)).min(2) })).optional(),
});

const ModelJson = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.string()), weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dtype: z.literal('float32') })) }))
    .length(1),
});

/** Captures the artifacts of a tfjs model without any file IO. */
export async function modelArtifacts(model: tf.LayersModel): Promise<{ topology: string; weights: Buffer }> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.weightSpecs || captured.weightData === undefined) throw new Error('tfjs produced no weights');
  const json = {
    modelTopology: captured.modelTopology,
    format: captured.format,
    generatedBy: captured.generatedBy,
    convertedBy: captured.convertedBy ?? null,
    weightsManifest: [{ paths: [MODEL_FILES.weights], weights: captured.weightSpecs }],
  };
  return { topology: `${JSON.stringify(json)}\n`, weights: Buffer.from(tf.io.concatenateArrayBuffers(captured.weightData)) };
}

export async function saveModel(dir: string, model: tf.LayersModel, config: IntentModelConfig): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { topology, weights } = await modelArtifacts(model);
  writeFileSync(join(dir, MODEL_FILES.topology), topology);
  writeFileSync(join(dir, MODEL_FILES.weights), weights);
  writeFileSync(join(dir, MODEL_FILES.config), `${JSON.stringify(config, null, 1)}\n`);
}

function readFile(dir: string, file: string): Buffer {
  try {
    return readFileSync(join(dir, file));
  } catch (err) {
    throw new ModelFileError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function parseJson<S extends z.ZodType>(file: string, bytes: Buffer, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ModelFileError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ModelFileError(`${file}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return result.data;
}

/** Reads and validates the model directory; throws ModelFileError on any missing, corrupt or mismatched part. */
export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; config: IntentModelConfig }> {
  const config = parseJson(MODEL_FILES.config, readFile(dir, MODEL_FILES.config), IntentModelConfigSchema);
  if (config.features.idf.length !== config.features.vocabulary.length) throw new ModelFileError(`${MODEL_FILES.config}: idf and vocabulary lengths differ`);
  if (config.labels.at(-1) !== 'oos') throw new ModelFileError(`${MODEL_FILES.config}: the last label must be 'oos'`);
  const topology = parseJson(MODEL_FILES.topology, readFile(dir, MODEL_FILES.topology), ModelJson);
  const weights = readFile(dir, MODEL_FILES.weights);
  const specs = topology.weightsManifest[0]?.weights ?? [];
  const expectedBytes = specs.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  if (weights.byteLength !== expectedBytes) throw new ModelFileError(`${MODEL_FILES.weights}: ${weights.byteLength} bytes, the manifest needs ${expectedBytes}`);
  const floats = new Float32Array(weights.buffer, weights.byteOffset, weights.byteLength / 4);
  if (!floats.every(Number.isFinite)) throw new ModelFileError(`${MODEL_FILES.weights}: contains NaN or infinite values`);

  await ensureCpuBackend();
  let model: tf.LayersModel;
  try {
    const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology.modelTopology, weightSpecs: specs, weightData }));
  } catch (err) {
    throw new ModelFileError(`${MODEL_FILES.topology}: tfjs cannot build the model (${(err as Error).message})`);
  }
  const inputSize = model.inputs[0]?.shape[1];
  const outputSize = model.outputs[0]?.shape[1];
  if (inputSize !== config.features.vocabulary.length || outputSize !== config.labels.length) {
    model.dispose();
    throw new ModelFileError(`model shape ${inputSize}→${outputSize} does not match ${config.features.vocabulary.length} features → ${config.labels.length} labels`);
  }
  return { model, config };
}
