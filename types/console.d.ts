/** The web console's build, imported as text (see functions/system/console). */
declare module '*/console/dist/index.html' {
  const text: string;
  export default text;
}
declare module '*/console/dist/app.js' {
  const text: string;
  export default text;
}
declare module '*/console/dist/app.css' {
  const text: string;
  export default text;
}
