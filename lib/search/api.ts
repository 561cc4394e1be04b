/**
 * The Baidu-compatible operations over a validated flat input: what each handler calls. They
 * take the stores and (for add / search) where to get a library's engine as arguments.
 */
import { IrisError } from '../errors';
import { readImageSource } from '../images';
import type { Stores } from '../store/ports';
import { imageSource, type Operation } from './contract';
import type { LibraryKind } from './engine';
import { addImage, deleteImages, locate, requireImage, searchImages, updateImage, type Labels } from './images';
import { getLibrary } from './library';
import type { EngineOf } from './provider';
import { checkBrief, checkUrl, parseClassId, parseContSign, parseContSignList, parseTagLogic, parseSubject, parseTags, parseWindow } from './params';
import type { AddInput, DeleteInput, SearchInput, UpdateInput } from './schema';

/** Product libraries label images with class_id1 / class_id2; the others with tags. */
function labelsOf(kind: LibraryKind, input: { tags?: string; class_id1?: string; class_id2?: string }): Labels {
  if (kind === 'product') return { classId1: parseClassId(input.class_id1, 'class_id1'), classId2: parseClassId(input.class_id2, 'class_id2') };
  return { tags: parseTags(input.tags) };
}

/** Decodes the request's image (lib/images/source.ts, Baidu's field); null when neither `image` nor `url` is given. */
const loadImage = (input: { image?: string; url?: string }, kind: LibraryKind, op: Operation) => readImageSource(imageSource(kind, op), input);

const checkSource = (input: { url?: string }) => {
  if (input.url !== undefined) checkUrl(input.url);
};

export async function addOperation(stores: Stores, engineOf: EngineOf, projectId: string, kind: LibraryKind, input: AddInput, opts: { deadline?: number } = {}) {
  const brief = checkBrief(input.brief);
  const labels = labelsOf(kind, input);
  checkSource(input);
  const lib = await getLibrary(stores.metadata, projectId, kind);
  const image = requireImage(await loadImage(input, kind, 'add'));
  const { contSign } = await addImage(stores, await engineOf(lib), lib, { image, brief, labels }, { deadline: opts.deadline });
  return { cont_sign: contSign };
}

export async function searchOperation(stores: Stores, engineOf: EngineOf, projectId: string, kind: LibraryKind, input: SearchInput) {
  const labels = labelsOf(kind, input);
  const filter = { tags: labels.tags ?? [], logic: parseTagLogic(input.tag_logic), classId1: labels.classId1, classId2: labels.classId2 };
  const window = parseWindow(input.pn, input.rn);
  checkSource(input);
  const lib = await getLibrary(stores.metadata, projectId, kind);
  const engine = await engineOf(lib);
  if (input.subject !== undefined && input.subject.trim() !== '' && !engine.acceptsSubject) {
    throw new IrisError('BAD_PARAM', `param subject invalid: only similar and product libraries search for a given subject`, { field: 'subject' });
  }
  const image = requireImage(await loadImage(input, kind, 'search'));
  const subject = parseSubject(input.subject, image.width, image.height);
  return searchImages(stores, engine, lib, { image, filter, window, ...(subject ? { subject } : {}) });
}

export async function updateOperation(stores: Stores, projectId: string, kind: LibraryKind, input: UpdateInput) {
  const brief = input.brief === undefined ? undefined : checkBrief(input.brief);
  const given = (v?: string) => v !== undefined && v !== '';
  const labels: Labels | undefined =
    kind === 'product'
      ? given(input.class_id1) || given(input.class_id2)
        ? labelsOf(kind, input)
        : undefined
      : input.tags !== undefined
        ? labelsOf(kind, input)
        : undefined;
  const contSign = input.cont_sign ? parseContSign(input.cont_sign) : undefined;
  checkSource(input);
  const lib = await getLibrary(stores.metadata, projectId, kind);
  const target = await locate(await loadImage(input, kind, 'update'), contSign);
  await updateImage(stores, lib, { contSign: target, brief, labels });
  return {};
}

export async function deleteOperation(stores: Stores, projectId: string, kind: LibraryKind, input: DeleteInput) {
  checkSource(input);
  const lib = await getLibrary(stores.metadata, projectId, kind);
  const image = await loadImage(input, kind, 'delete');
  const signs = image ? [await locate(image, undefined)] : input.cont_sign ? parseContSignList(input.cont_sign) : null;
  if (!signs) throw new IrisError('MISSING_PARAM', 'param image not exist: send image, url or cont_sign', { field: 'image' });
  await deleteImages(stores, lib, signs);
  return {};
}
