/**
 * happy-dom answers '' from `Node.prototype.nodeName` and puts the real getter on each subclass, while DOMPurify
 * reads `nodeName` through the `Node.prototype` getter (so that a clobbered property cannot fool it). Under
 * happy-dom every element would then look nameless and be stripped. Importing this module makes the prototype
 * getter answer like a browser's, so the sanitiser is tested as it runs for real.
 */
const base = Object.getOwnPropertyDescriptor(Node.prototype, 'nodeName');

if (base?.get && document.createElement('p').nodeName === 'P' && base.get.call(document.createElement('p')) === '') {
  Object.defineProperty(Node.prototype, 'nodeName', {
    configurable: true,
    get(this: Node): string {
      for (let proto = Object.getPrototypeOf(this); proto && proto !== Node.prototype;) {
        const own = Object.getOwnPropertyDescriptor(proto, 'nodeName');
        if (own?.get) return own.get.call(this) as string;
        proto = Object.getPrototypeOf(proto);
      }
      return base.get!.call(this) as string;
    },
  });
}

export {};
