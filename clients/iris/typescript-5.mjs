/**
 * A Node resolve hook for the generator only: openapi-typescript builds its output with the
 * TypeScript 5 compiler API, which TypeScript 7 (the project's type checker) no longer has, so
 * its `typescript` import is pointed at the `typescript-5` alias.
 */
export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/openapi-typescript/')) return next('typescript-5', context);
  return next(specifier, context);
}
